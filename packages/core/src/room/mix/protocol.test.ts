// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import type { Element } from '../../xml/index.js';
import {
  NODE_MESSAGES,
  NODE_PARTICIPANTS,
  NS_MIX_CORE,
  NS_MIX_PAM,
  NS_PUBSUB,
  clientJoinIq,
  clientLeaveIq,
  createChannelIq,
  parseJoinResult,
  parseParticipantEvent,
  parseParticipantItem,
  parseParticipants,
  participantsIq,
} from './protocol.js';

const parse = parseXml as (text: string) => Element;

/** Stanzas captured from ejabberd 23.01. */
const EJABBERD = {
  joinResult:
    '<iq xml:lang="en" to="u@localhost/r1" from="u@localhost" type="result" id="x"><client-join xmlns="urn:xmpp:mix:core:1"><join jid="4664897dc6752483eaa1#probe@mix.localhost"><nick>nickmk8</nick><subscribe node="urn:xmpp:mix:nodes:messages"/><subscribe node="urn:xmpp:mix:nodes:participants"/></join></client-join></iq>',
  participants:
    '<iq xml:lang="en" to="u@localhost/r1" from="probe@mix.localhost" type="result" id="y"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:mix:nodes:participants"><item id="4664897dc6752483eaa1"><participant nick="nickmk8" jid="user-dbd959203726@localhost" xmlns="urn:xmpp:mix:core:0"/></item><item id="71d65a8ab3720dc180ba"><participant nick="nickzby" jid="user-83f9e5ac5c06@localhost" xmlns="urn:xmpp:mix:core:0"/></item></items></pubsub></iq>',
  joinEvent:
    '<message to="u@localhost" from="probe@mix.localhost" id="1"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="urn:xmpp:mix:nodes:participants"><item id="59102b536f45472967f1"><participant nick="nickqv7" jid="user-c82550a0bb87@localhost" xmlns="urn:xmpp:mix:core:0"/></item></items></event></message>',
  leaveEvent:
    '<message to="u@localhost" from="probe@mix.localhost" id="2"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="urn:xmpp:mix:nodes:participants"><retract id="9e3b88c3af99dd7a98d0"/></items></event></message>',
};

/** The same, in the form XEP-0369 / XEP-0405 give. */
const SPEC = {
  joinResult:
    "<iq type='result' from='hag66@shakespeare.example' to='hag66@shakespeare.example/UUID-a1j/7533' id='E6E10350'><client-join xmlns='urn:xmpp:mix:pam:2'><join xmlns='urn:xmpp:mix:core:1' id='123456'><subscribe node='urn:xmpp:mix:nodes:messages'/><nick>third witch</nick></join></client-join></iq>",
  participants:
    "<iq type='result' from='coven@mix.shakespeare.example' id='p1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:participants'><item id='123456'><participant xmlns='urn:xmpp:mix:core:1'><nick>thirdwitch</nick><jid>hag66@shakespeare.example</jid></participant></item><item id='87123'><participant xmlns='urn:xmpp:mix:core:1'><nick>top witch</nick></participant></item></items></pubsub></iq>",
};

describe('MIX requests', () => {
  it('createChannelIq asks the service to create a channel', () => {
    expect(createChannelIq('mix.localhost', 'probe').toString()).toBe(
      `<iq type="set" to="mix.localhost"><create xmlns="${NS_MIX_CORE}" channel="probe"/></iq>`,
    );
    expect(createChannelIq('mix.localhost').getChild('create')!.attrs.channel).toBeUndefined();
  });

  it('clientJoinIq joins through the own server, subscribing to messages and participants', () => {
    const iq = clientJoinIq('u@localhost', 'probe@mix.localhost', 'nick');
    expect(iq.attrs).toEqual({ type: 'set', to: 'u@localhost' });
    const clientJoin = iq.getChild('client-join', NS_MIX_PAM)!;
    expect(clientJoin.attrs.channel).toBe('probe@mix.localhost');
    const join = clientJoin.getChild('join', NS_MIX_CORE)!;
    expect(join.getChildren('subscribe').map((subscribe) => subscribe.attrs.node)).toEqual([
      NODE_MESSAGES,
      NODE_PARTICIPANTS,
    ]);
    expect(join.getChildText('nick')).toBe('nick');
    expect(
      clientJoinIq('u@localhost', 'probe@mix.localhost').getChild('client-join')!.getChild('join')!.getChild('nick'),
    ).toBeUndefined();
  });

  it('clientLeaveIq leaves through the own server', () => {
    expect(clientLeaveIq('u@localhost', 'probe@mix.localhost').toString()).toBe(
      `<iq type="set" to="u@localhost"><client-leave xmlns="${NS_MIX_PAM}" channel="probe@mix.localhost"><leave xmlns="${NS_MIX_CORE}"/></client-leave></iq>`,
    );
  });

  it('participantsIq reads the participants node', () => {
    expect(participantsIq('probe@mix.localhost').toString()).toBe(
      `<iq type="get" to="probe@mix.localhost"><pubsub xmlns="${NS_PUBSUB}"><items node="${NODE_PARTICIPANTS}"/></pubsub></iq>`,
    );
  });
});

describe('parseJoinResult', () => {
  it('reads the participant id and nick from the ejabberd 23.01 join result', () => {
    expect(parseJoinResult(parse(EJABBERD.joinResult))).toEqual({
      participantId: '4664897dc6752483eaa1',
      nick: 'nickmk8',
    });
  });

  it('reads the participant id and nick from the XEP-0405 join result', () => {
    expect(parseJoinResult(parse(SPEC.joinResult))).toEqual({ participantId: '123456', nick: 'third witch' });
  });

  it('prefers join/@id to join/@jid and leaves nick out when absent', () => {
    const result = parse(
      "<iq type='result'><client-join xmlns='urn:xmpp:mix:pam:2'><join xmlns='urn:xmpp:mix:core:1' id='abc' jid='zzz#c@mix.example'/></client-join></iq>",
    );
    expect(parseJoinResult(result)).toEqual({ participantId: 'abc' });
  });

  it('throws without a <join/>', () => {
    expect(() => parseJoinResult(parse("<iq type='result'/>"))).toThrow(/without <join\/>/);
    expect(() => parseJoinResult(parse("<iq type='result'><client-join xmlns='urn:xmpp:mix:pam:2'/></iq>"))).toThrow(
      /without <join\/>/,
    );
  });

  it.each([
    ['neither id nor jid', '<join xmlns="urn:xmpp:mix:core:1"/>'],
    ['a jid starting with #', '<join xmlns="urn:xmpp:mix:core:1" jid="#c@mix.example"/>'],
    ['a jid without #', '<join xmlns="urn:xmpp:mix:core:1" jid="coven@mix.example"/>'],
  ])('throws for a join with %s, which carries no participant id', (_, join) => {
    const result = parse(`<iq type="result"><client-join xmlns="urn:xmpp:mix:pam:2">${join}</client-join></iq>`);
    expect(() => parseJoinResult(result)).toThrow(/without a participant id/);
  });
});

describe('parseParticipants', () => {
  it('reads the ejabberd 23.01 participants list (attributes, mix:core:0)', () => {
    expect(parseParticipants(parse(EJABBERD.participants))).toEqual([
      { id: '4664897dc6752483eaa1', jid: 'user-dbd959203726@localhost', nick: 'nickmk8' },
      { id: '71d65a8ab3720dc180ba', jid: 'user-83f9e5ac5c06@localhost', nick: 'nickzby' },
    ]);
  });

  it('reads the XEP-0369 participants list (child elements, mix:core:1)', () => {
    expect(parseParticipants(parse(SPEC.participants))).toEqual([
      { id: '123456', jid: 'hag66@shakespeare.example', nick: 'thirdwitch' },
      { id: '87123', nick: 'top witch' },
    ]);
  });

  it('skips items without id or participant, and other elements', () => {
    const result = parse(
      "<iq type='result'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:participants'>" +
        "<item><participant xmlns='urn:xmpp:mix:core:1' jid='a@b'/></item><item id='1'/><other id='2'/>" +
        "<item id='3'><participant xmlns='urn:xmpp:mix:core:1'/></item></items></pubsub></iq>",
    );
    expect(parseParticipants(result)).toEqual([{ id: '3' }]);
  });

  it('returns no participants for a result without items', () => {
    expect(parseParticipants(parse("<iq type='result'/>"))).toEqual([]);
    expect(
      parseParticipants(parse("<iq type='result'><pubsub xmlns='http://jabber.org/protocol/pubsub'/></iq>")),
    ).toEqual([]);
  });

  it('parseParticipantItem prefers attributes to child elements', () => {
    const item = parse(
      "<item id='i'><participant xmlns='urn:xmpp:mix:core:1' nick='attr'><nick>child</nick><jid>j@x</jid></participant></item>",
    );
    expect(parseParticipantItem(item)).toEqual({ id: 'i', jid: 'j@x', nick: 'attr' });
  });
});

describe('parseParticipantEvent', () => {
  it('reads a join pushed by ejabberd 23.01', () => {
    expect(parseParticipantEvent(parse(EJABBERD.joinEvent))).toEqual([
      {
        kind: 'joined',
        participant: { id: '59102b536f45472967f1', jid: 'user-c82550a0bb87@localhost', nick: 'nickqv7' },
      },
    ]);
  });

  it('reads a leave pushed by ejabberd 23.01', () => {
    expect(parseParticipantEvent(parse(EJABBERD.leaveEvent))).toEqual([{ kind: 'left', id: '9e3b88c3af99dd7a98d0' }]);
  });

  it('reads joins and leaves of one event in order, in the XEP-0369 form', () => {
    const message = parse(
      "<message from='coven@mix.example'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='urn:xmpp:mix:nodes:participants'>" +
        "<retract id='old'/><item id='new'><participant xmlns='urn:xmpp:mix:core:1'><jid>n@x</jid><nick>N</nick></participant></item>" +
        '<retract/></items></event></message>',
    );
    expect(parseParticipantEvent(message)).toEqual([
      { kind: 'left', id: 'old' },
      { kind: 'joined', participant: { id: 'new', jid: 'n@x', nick: 'N' } },
    ]);
  });

  it('ignores events of other nodes, other namespaces, and messages without events', () => {
    const messagesNode = EJABBERD.joinEvent.replace(NODE_PARTICIPANTS, NODE_MESSAGES);
    expect(parseParticipantEvent(parse(messagesNode))).toEqual([]);
    const otherNamespace = EJABBERD.joinEvent.replace('pubsub#event', 'pubsub');
    expect(parseParticipantEvent(parse(otherNamespace))).toEqual([]);
    expect(parseParticipantEvent(parse("<message from='coven@mix.example'><body>hi</body></message>"))).toEqual([]);
  });
});
