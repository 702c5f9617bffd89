import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedServer } from '../testing/ScriptedServer.js';
import { xml } from '../xml/index.js';
import { Connection, ConnectionClosedError } from './Connection.js';

const NS_SASL2 = 'urn:xmpp:sasl:2';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('stanzas sent before the session is ready', () => {
  it('[SES12] a request that left with the login fails when the connection closes, not at its timeout', async () => {
    server = await ScriptedServer.listen();
    const connection = Connection.start({
      service: `xmpp://127.0.0.1:${server.port}`,
      domain: 'example.org',
      username: 'user',
      password: 'pencil',
      tokens: false,
      reconnect: false,
    });
    const answer = connection.request(
      xml('iq', { type: 'get', to: 'example.org' }, xml('ping', { xmlns: 'urn:xmpp:ping' })),
    );
    const settled = answer.then(
      () => 'answered',
      (error: Error) => error,
    );
    await server.next('stanzas', 5000); // the stream header
    await server.write(
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='example.org' version='1.0'>` +
        `<stream:features><authentication xmlns='${NS_SASL2}'><mechanism>PLAIN</mechanism><inline>` +
        `<bind xmlns='urn:xmpp:bind:0'/></inline></authentication></stream:features>`,
    );
    expect((await server.next('stanzas', 5000)).name).toBe('authenticate');
    expect((await server.next('stanzas', 5000)).name).toBe('presence');
    expect((await server.next('stanzas', 5000)).getChild('ping', 'urn:xmpp:ping')).toBeDefined();
    await server.write(
      `<success xmlns='${NS_SASL2}'><bound xmlns='urn:xmpp:bind:0'/><authorization-identifier>user@example.org/web</authorization-identifier></success>`,
    );
    await connection.ready;
    expect(connection.login?.withLogin).toBe(1);
    // The server never answers the ping: closing settles it at once.
    await connection.close();
    expect(await settled).toBeInstanceOf(ConnectionClosedError);
  });
});
