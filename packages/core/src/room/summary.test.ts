// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../connection/Connection.js';
import type { Element } from '../xml/index.js';
import { roomSummary } from './summary.js';

const parse = parseXml as (text: string) => Element;
const ROOM = 'busy@muc.localhost';
const CHANNEL = 'busy@mix.localhost';
const ME = 'lobby@localhost/r1';

// Answers as ejabberd 24.12 and Prosody 13 gave them to an account outside the room (fields
// that do not matter here left out).
const roomInfo = (room: string, occupants: string | undefined) =>
  `<iq type='result' from='${room}' to='${ME}' id='ID'><query xmlns='http://jabber.org/protocol/disco#info'><identity type='text' category='conference'/><feature var='http://jabber.org/protocol/muc'/><feature var='urn:xmpp:mam:2'/><x type='result' xmlns='jabber:x:data'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/muc#roominfo</value></field>${
    occupants === undefined
      ? ''
      : `<field var='muc#roominfo_occupants' type='text-single'><value>${occupants}</value></field>`
  }<field var='muc#roominfo_description' type='text-single'/></x></query></iq>`;
const EJABBERD_ITEMS = `<iq type='result' from='${ROOM}' to='${ME}' id='ID'><query xmlns='http://jabber.org/protocol/disco#items'><item name='Ada' jid='${ROOM}/Ada'/><item name='xsync-bot' jid='${ROOM}/xsync-bot'/></query></iq>`;
const PROSODY_ITEMS = `<iq type='result' from='${ROOM}' to='${ME}' id='ID'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`;
const MIX_INFO = `<iq type='result' from='${CHANNEL}' to='${ME}' id='ID'><query xmlns='http://jabber.org/protocol/disco#info'><identity type='mix' category='conference'/><feature var='urn:xmpp:mix:core:0'/><feature var='urn:xmpp:mix:core:1'/><feature var='urn:xmpp:mam:2'/></query></iq>`;
const MIX_ITEMS = `<iq type='result' from='${CHANNEL}' to='${ME}' id='ID'><query xmlns='http://jabber.org/protocol/disco#items'><item node='urn:xmpp:mix:nodes:messages' jid='${CHANNEL}'/><item node='urn:xmpp:mix:nodes:participants' jid='${CHANNEL}'/></query></iq>`;
const MIX_PARTICIPANTS = `<iq type='result' from='${CHANNEL}' to='${ME}' id='ID'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:participants'><item id='p1'><participant xmlns='urn:xmpp:mix:core:1' jid='ada@localhost' nick='Ada'/></item><item id='p2'><participant xmlns='urn:xmpp:mix:core:1' jid='bob@localhost'/></item></items></pubsub></iq>`;
const mamResult = (room: string, queryId: string, stamp: string) =>
  `<message to='${ME}' from='${room}'><result id='1796132974897786' queryid='${queryId}' xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'><message from='${room}/Ada' type='groupchat' id='m1' xmlns='jabber:client'><body>[xsync] data change (1 operations)</body></message><delay from='muc.localhost' stamp='${stamp}' xmlns='urn:xmpp:delay'/></forwarded></result></message>`;
const MAM_FIN = `<iq type='result' id='ID'><fin complete='true' xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'><count>1</count><first>1796132974897786</first><last>1796132974897786</last></set></fin></iq>`;
const MAM_EMPTY = `<iq type='result' id='ID'><fin complete='true' xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'/></fin></iq>`;

type Answer = string | { condition: string } | 'timeout';

/**
 * A connection that answers each kind of query as `answers` says, and sends `results` (given
 * the query id) before answering an archive query, as a server does.
 */
function fakeConnection(answers: {
  info: Answer;
  items: Answer;
  mam: Answer;
  results?: (queryId: string) => string[];
  participants?: Answer;
}): { connection: Connection; asked: string[] } {
  const listeners = new Set<(stanza: Element) => void>();
  const asked: string[] = [];
  const connection = {
    on: (_name: 'stanza', listener: (stanza: Element) => void) => listeners.add(listener),
    off: (_name: 'stanza', listener: (stanza: Element) => void) => listeners.delete(listener),
    request: async (iq: Element) => {
      const query = iq.children.find((child) => typeof child !== 'string') as Element;
      const ns = String(query.attrs.xmlns);
      const which = ns.endsWith('#info')
        ? 'info'
        : ns.endsWith('#items')
          ? 'items'
          : ns === 'urn:xmpp:mam:2'
            ? 'mam'
            : 'participants';
      asked.push(which);
      const answer = answers[which];
      if (answer === undefined || answer === 'timeout')
        throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      if (typeof answer !== 'string') throw Object.assign(new Error(answer.condition), answer);
      if (which === 'mam') {
        for (const result of answers.results?.(String(query.attrs.queryid)) ?? []) {
          for (const listener of listeners) listener(parse(result));
        }
      }
      return parse(answer);
    },
  };
  return { connection: connection as unknown as Connection, asked };
}

describe('Room.summary', () => {
  it('a MUC room on ejabberd: its occupants with their nicks, and the stamp of its last archived message', async () => {
    const { connection, asked } = fakeConnection({
      info: roomInfo(ROOM, '2'),
      items: EJABBERD_ITEMS,
      mam: MAM_FIN,
      results: (queryId) => [mamResult(ROOM, queryId, '2026-12-01T13:49:34.897786Z')],
    });
    expect(await roomSummary(connection, ROOM)).toEqual({
      kind: 'muc',
      occupants: 2,
      nicks: ['Ada', 'xsync-bot'],
      lastActivity: new Date('2026-12-01T13:49:34.897Z'),
    });
    // Asked at once, in one round trip.
    expect(asked).toEqual(['info', 'items', 'mam']);
  });

  it('a MUC room on Prosody, which names no occupants: the count alone; an empty archive is no activity yet', async () => {
    const { connection } = fakeConnection({ info: roomInfo(ROOM, '1'), items: PROSODY_ITEMS, mam: MAM_EMPTY });
    expect(await roomSummary(connection, ROOM)).toEqual({
      kind: 'muc',
      occupants: 1,
      nicks: undefined,
      lastActivity: null,
    });
  });

  it('an empty room names nobody, and a room whose archive refuses this account has no activity time', async () => {
    const { connection } = fakeConnection({
      info: roomInfo(ROOM, '0'),
      items: PROSODY_ITEMS,
      mam: { condition: 'forbidden' },
    });
    expect(await roomSummary(connection, ROOM)).toEqual({
      kind: 'muc',
      occupants: 0,
      nicks: [],
      lastActivity: undefined,
    });
  });

  it('a MIX channel this account has not joined tells neither participants nor activity', async () => {
    const { connection, asked } = fakeConnection({
      info: MIX_INFO,
      items: MIX_ITEMS,
      mam: { condition: 'forbidden' },
      participants: { condition: 'forbidden' },
    });
    expect(await roomSummary(connection, CHANNEL)).toEqual({
      kind: 'mix',
      occupants: undefined,
      nicks: undefined,
      lastActivity: undefined,
    });
    expect(asked).toContain('participants');
  });

  it('a MIX channel this account is in: its participants, named where they set a nick', async () => {
    const { connection } = fakeConnection({
      info: MIX_INFO,
      items: MIX_ITEMS,
      mam: MAM_FIN,
      results: (queryId) => [mamResult(CHANNEL, queryId, '2026-12-01T13:49:34Z')],
      participants: MIX_PARTICIPANTS,
    });
    expect(await roomSummary(connection, CHANNEL)).toEqual({
      kind: 'mix',
      occupants: 2,
      nicks: ['Ada'],
      lastActivity: new Date('2026-12-01T13:49:34Z'),
    });
  });

  it('rejects for a room that does not exist, and when the room does not answer in time', async () => {
    const gone = fakeConnection({ info: { condition: 'item-not-found' }, items: PROSODY_ITEMS, mam: MAM_EMPTY });
    await expect(roomSummary(gone.connection, ROOM)).rejects.toMatchObject({ condition: 'item-not-found' });
    const slow = fakeConnection({ info: roomInfo(ROOM, '1'), items: PROSODY_ITEMS, mam: 'timeout' });
    await expect(roomSummary(slow.connection, ROOM)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('takes nothing on trust: a count that is no number, a stamp that is no time, results for other queries', async () => {
    const { connection } = fakeConnection({
      info: roomInfo(ROOM, '1e9'),
      items: EJABBERD_ITEMS.replace(`jid='${ROOM}/Ada'`, `jid='other@muc.localhost/Ada'`),
      mam: MAM_FIN,
      results: (queryId) => [
        mamResult(ROOM, `${queryId}x`, '2026-12-01T13:49:34Z'),
        mamResult(`evil@muc.localhost`, queryId, '2026-12-01T13:49:34Z'),
        mamResult(ROOM, queryId, 'yesterday'),
      ],
    });
    expect(await roomSummary(connection, ROOM)).toEqual({
      kind: 'muc',
      occupants: 1,
      nicks: ['xsync-bot'],
      lastActivity: undefined,
    });
  });
});
