import { writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import XmppConnection from '@xmpp/connection';
import * as Y from 'yjs';
import { register } from 'node:module';
// Workaround: packages/core/dist imports named exports from the CommonJS build of
// fast-json-patch, which Node's ESM loader refuses; redirect to its ESM build.
const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'fast-json-patch') return next('fast-json-patch/index.mjs', context);
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url);
const { startEjabberd } = await import('@xsync/ejabberd');
const { Connection, Channel, yjsUpdate, jsonPatch, domOperations, xml } = await import('@xsync/core');

const LOG = '/tmp/wire/traffic.log';
const NS_SM = 'urn:xmpp:sm:3';
// Entries are kept in order and written at the end: a connection's name (its JID's local
// part) is only known after resource binding, but its first elements come before that.
const entries = [];
const names = new WeakMap();
const note = (text) => entries.push({ note: text });
const flush = () =>
  writeFileSync(
    LOG,
    entries.map((e) => (e.note !== undefined ? `## ${e.note}\n` : `${names.get(e.conn) ?? '?'} ${e.dir} ${e.xml}\n`)).join(''),
  );

// Log every element any xmpp.js connection emits as sent ('send') or received ('element').
const origEmit = XmppConnection.prototype.emit;
XmppConnection.prototype.emit = function (event, ...args) {
  if (this.jid?.local && !names.has(this)) names.set(this, this.jid.local);
  if (event === 'send' || event === 'element') {
    const el = args[0];
    const isSmAck = (el.name === 'r' || el.name === 'a') && el.attrs.xmlns === NS_SM;
    if (!isSmAck) entries.push({ conn: this, dir: event === 'send' ? '>>' : '<<', xml: el.toString() });
  }
  return origEmit.call(this, event, ...args);
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = await startEjabberd();
const connections = [];
try {
  console.log('ejabberd', server.version, server.tcpUrl, server.domain, server.mixDomain, 'pid', server.pid);
  await server.createAccount('alice', 'alice-pass');
  await server.createAccount('bob', 'bob-pass');

  note('alice connects');
  const alice = await Connection.open({ service: server.tcpUrl, domain: server.domain, username: 'alice', password: 'alice-pass', resource: 'web' });
  connections.push(alice);
  note('bob connects');
  const bob = await Connection.open({ service: server.tcpUrl, domain: server.domain, username: 'bob', password: 'bob-pass', resource: 'web' });
  connections.push(bob);
  await sleep(300);

  note('alice creates channel');
  const channelJid = await Channel.create(alice, server.mixDomain, 'team-room');
  console.log('channel', channelJid);
  const aliceCh = new Channel(alice, { jid: channelJid, nick: 'alice' });
  const bobCh = new Channel(bob, { jid: channelJid, nick: 'bob' });
  const bobEvents = [];
  const bobRejected = [];
  bobCh.on('event', (e) => bobEvents.push(e));
  bobCh.on('rejected', (r) => bobRejected.push(r));

  note('alice joins');
  console.log('alice join', await aliceCh.join());
  note('bob joins');
  console.log('bob join', await bobCh.join());
  await sleep(300);

  note('alice publishes yjs-update');
  const doc = new Y.Doc();
  let update;
  doc.on('update', (u) => (update = u));
  doc.getText('text').insert(0, 'Hello');
  console.log('yjs', await aliceCh.publish(yjsUpdate, update));
  note('alice publishes json-patch');
  console.log('json', await aliceCh.publish(jsonPatch, [{ op: 'add', path: '/title', value: 'Plan' }]));
  note('alice publishes dom-operations');
  console.log(
    'dom',
    await aliceCh.publish(
      domOperations,
      [
        { op: 'insert-markup', parent: 'root', id: 'n1', markup: '<rect xmlns="http://www.w3.org/2000/svg" x="10" y="10" width="40" height="20"/>' },
        { op: 'set-attribute', id: 'n1', name: 'fill', value: '#e33' },
      ],
      { doc: 'board' },
    ),
  );
  await sleep(500);
  console.log('bob live events', bobEvents.length, bobEvents.map((e) => e.type.name));

  note('bob history({ pageSize: 2 })');
  const h1 = await bobCh.history({ pageSize: 2 });
  console.log('history pageSize 2: pages', h1.pages, 'events', h1.events.map((e) => `${e.type.name}@${e.archiveId}`), 'rejected', h1.rejected.length, 'last', h1.last);
  note('bob history({ last: 1 })');
  const h2 = await bobCh.history({ last: 1 });
  console.log('history last 1: pages', h2.pages, 'events', h2.events.map((e) => `${e.type.name}@${e.archiveId}`), 'rejected', h2.rejected.length);

  note('alice sends hostile raw message bad-1');
  const gotRejected = new Promise((resolve) => bobCh.once('rejected', resolve));
  await alice.send(
    xml('message', { type: 'groupchat', to: channelJid, id: 'bad-1' }, xml('event', { xmlns: 'urn:xsync:1' }, xml('update', { xmlns: 'urn:xsync:yjs:1' }, '%%%not-base64'))),
  );
  const rejected = await Promise.race([gotRejected, sleep(5000).then(() => null)]);
  writeFileSync('/tmp/wire/rejected.json', JSON.stringify(rejected, null, 2) + '\n');
  console.log('rejected', rejected, 'bob rejected count', bobRejected.length);
  await sleep(300);

  note('bob leaves');
  await bobCh.leave();
  await sleep(500);
  aliceCh.destroy();
  bobCh.destroy();
  note('closing connections');
} catch (error) {
  console.error('FAILED', error);
  process.exitCode = 1;
} finally {
  for (const c of connections) await c.close().catch((e) => console.error('close', e));
  await server.stop();
  flush();
  console.log('stopped; dataDir', server.dataDir, 'vm pid', server.pid);
  try {
    console.log('beam after stop:', execSync('pgrep -a beam || true').toString() || '(none)');
  } catch {}
}
