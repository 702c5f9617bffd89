// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import type { Element } from '../../xml/index.js';
import { xml as xmlOf } from '../../xml/index.js';
import { laneOf, mucMessage, readMucMessage, readOccupantPresence, submitConfigIq } from './protocol.js';

const parse = parseXml as (text: string) => Element;
const ROOM = 'room65092@muc.localhost';

// Stanzas as ejabberd 24.12 and Prosody 13 sent them (ids shortened).
const EJABBERD_DURABLE = `<message xml:lang='en' to='bob@localhost/rb' from='${ROOM}/alice' type='groupchat' id='abc2'><archived by='${ROOM}' id='1796090474861332' xmlns='urn:xmpp:mam:tmp'/><stanza-id by='${ROOM}' id='1796090474861332' xmlns='urn:xmpp:sid:0'/><event xmlns='urn:xsync:1'><patch xmlns='urn:xsync:json-patch:1'>[]</patch></event><store xmlns='urn:xmpp:hints'/><occupant-id id='g20AAAAgQp' xmlns='urn:xmpp:occupant-id:0'/></message>`;
const EJABBERD_UNARCHIVED = `<message xml:lang='en' to='bob@localhost/rb' from='${ROOM}/alice' type='groupchat' id='abc1'><event xmlns='urn:xsync:1'>x</event><occupant-id id='g20AAAAgQp' xmlns='urn:xmpp:occupant-id:0'/><stanza-id by='${ROOM}' id='1796090474158937' xmlns='urn:xmpp:sid:0'/></message>`;
const PROSODY_LIVE = `<message id='abc3' type='groupchat' from='${ROOM}/alice' to='bob@localhost/rb'><event xmlns='urn:xsync:1'>x</event><no-store xmlns='urn:xmpp:hints'/><occupant-id id='kvCo' xmlns='urn:xmpp:occupant-id:0'/></message>`;
const PROSODY_ARCHIVED_INNER = `<message id='abc2' type='groupchat' xmlns='jabber:client' xml:lang='en' from='${ROOM}/alice'><event xmlns='urn:xsync:1'>x</event><store xmlns='urn:xmpp:hints'/><occupant-id id='kvCo' xmlns='urn:xmpp:occupant-id:0'/></message>`;

describe('MUC messages ([LANE2], [MUC3])', () => {
  it('reads a durable event: archive id from the room’s stanza-id, sender from the occupant id', () => {
    expect(readMucMessage(parse(EJABBERD_DURABLE), ROOM)).toMatchObject({
      archiveId: '1796090474861332',
      lane: 'durable',
      participantId: 'g20AAAAgQp',
      senderNick: 'alice',
      submissionId: 'abc2',
    });
  });

  it('takes a bodiless message without hints as live, whatever stanza-id ejabberd stamped on it', () => {
    expect(laneOf(parse(EJABBERD_UNARCHIVED))).toBe('live');
    expect(readMucMessage(parse(EJABBERD_UNARCHIVED), ROOM)).toMatchObject({ lane: 'live', archiveId: undefined });
    expect(readMucMessage(parse(PROSODY_LIVE), ROOM)).toMatchObject({ lane: 'live', participantId: 'kvCo' });
  });

  it('counts a message with a body as durable, as both servers archive it', () => {
    const withBody = EJABBERD_UNARCHIVED.replace('</message>', '<body>hi</body></message>');
    expect(laneOf(parse(withBody))).toBe('durable');
  });

  it('drops a durable message that carries no stanza-id of this room', () => {
    const forged = EJABBERD_DURABLE.replaceAll(`by='${ROOM}'`, `by='other@muc.localhost'`);
    expect(readMucMessage(parse(forged), ROOM)).toBeUndefined();
  });

  it('reads an archived copy with the result id as archive id (Prosody stores no stanza-id inside)', () => {
    const delay = xmlOf('delay', { xmlns: 'urn:xmpp:delay', stamp: '2026-12-01T02:02:07.410780Z' });
    expect(readMucMessage(parse(PROSODY_ARCHIVED_INNER), ROOM, { resultId: '06b0e2a9-f692', delay })).toMatchObject({
      archiveId: '06b0e2a9-f692',
      lane: 'durable',
      participantId: 'kvCo',
      timestamp: new Date('2026-12-01T02:02:07.410Z'),
    });
  });

  it('ignores messages from other rooms and from the bare room JID', () => {
    expect(
      readMucMessage(parse(EJABBERD_DURABLE.replace(`from='${ROOM}/alice'`, `from='${ROOM}.evil/alice'`)), ROOM),
    ).toBeUndefined();
    expect(
      readMucMessage(parse(EJABBERD_DURABLE.replace(`from='${ROOM}/alice'`, `from='${ROOM}'`)), ROOM),
    ).toBeUndefined();
  });

  it('puts the storage hint of its lane on a message it sends', () => {
    expect(mucMessage(ROOM, 'id1', 'durable', []).toString()).toBe(
      `<message type="groupchat" to="${ROOM}" id="id1"><store xmlns="urn:xmpp:hints"/></message>`,
    );
    expect(mucMessage(ROOM, 'id2', 'live', []).toString()).toContain('<no-store xmlns="urn:xmpp:hints"/>');
  });
});

describe('MUC presences ([MUC2], [MUC3])', () => {
  it('reads the self-presence of a join, with its status codes and occupant id', () => {
    const self = `<presence from='${ROOM}/carol'><occupant-id id='g20AAAAg0Lf4' xmlns='urn:xmpp:occupant-id:0'/><x xmlns='http://jabber.org/protocol/muc#user'><item jid='carol@localhost/rc' role='participant' affiliation='none'/><status code='110'/></x></presence>`;
    const occupant = readOccupantPresence(parse(self), ROOM)!;
    expect(occupant).toMatchObject({
      nick: 'carol',
      occupantId: 'g20AAAAg0Lf4',
      jid: 'carol@localhost',
      available: true,
    });
    expect([...occupant.status]).toEqual(['110']);
  });

  it('ignores error presences and ejabberd’s caps presence from the bare room', () => {
    expect(readOccupantPresence(parse(`<presence from='${ROOM}' id='1'/>`), ROOM)).toBeUndefined();
    expect(readOccupantPresence(parse(`<presence type='error' from='${ROOM}/x'/>`), ROOM)).toBeUndefined();
  });
});

describe('MUC room configuration ([MUC1])', () => {
  it('submits only the fields the room’s form offers', () => {
    const form = parse(
      `<x xmlns='jabber:x:data' type='form'><field var='muc#roomconfig_persistentroom'/><field var='muc#roomconfig_enablearchiving'/></x>`,
    );
    const iq = submitConfigIq(ROOM, form, {
      'muc#roomconfig_persistentroom': '1',
      mam: '1',
      'muc#roomconfig_enablearchiving': '1',
    });
    const vars = iq
      .getChild('query')!
      .getChild('x')!
      .getChildren('field')
      .map((field) => field.attrs.var);
    expect(vars).toEqual(['FORM_TYPE', 'muc#roomconfig_persistentroom', 'muc#roomconfig_enablearchiving']);
  });
});
