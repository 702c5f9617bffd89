// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import { NS_EVENT } from '../../events/registry.js';
import { type Element, xml } from '../../xml/index.js';
import { readMixMessage } from './message.js';

const parse = parseXml as (text: string) => Element;
const CHANNEL = 'probe@mix.localhost';

/** A groupchat message as ejabberd 23.01 reflects it to its sender. */
const REFLECTED =
  '<message xml:lang="en" to="u@localhost/r1" from="probe@mix.localhost/4664897dc6752483eaa1" type="groupchat" id="1795303279492511"><mix xmlns="urn:xmpp:mix:core:0"><nick>nickmk8</nick><submission-id>sub-2</submission-id><jid>user-dbd959203726@localhost</jid></mix><body>hello</body></message>';

const message = (attrs: Record<string, string>, ...children: Element[]) =>
  xml('message', { type: 'groupchat', from: `${CHANNEL}/p1`, id: 'a1', ...attrs }, ...children);

describe('readMixMessage', () => {
  it('[ORD2] [ECHO1] reads the message ejabberd 23.01 reflects', () => {
    expect(readMixMessage(parse(REFLECTED), CHANNEL)).toEqual({
      archiveId: '1795303279492511',
      lane: 'durable',
      participantId: '4664897dc6752483eaa1',
      senderJid: 'user-dbd959203726@localhost',
      senderNick: 'nickmk8',
      submissionId: 'sub-2',
      envelopes: [],
      timestamp: undefined,
    });
  });

  it("[SND1] takes the sender from the channel's own <mix/>, after any the sender put in", () => {
    const NS_MIX = 'urn:xmpp:mix:core:1';
    const forged = xml('mix', { xmlns: NS_MIX }, xml('jid', {}, 'victim@localhost'), xml('nick', {}, 'Victim'));
    const stamped = xml('mix', { xmlns: NS_MIX }, xml('jid', {}, 'mallory@localhost'), xml('nick', {}, 'Mallory'));
    const read = readMixMessage(message({}, forged, xml('body', {}, 'hi'), stamped), CHANNEL);
    expect(read).toMatchObject({ participantId: 'p1', senderJid: 'mallory@localhost', senderNick: 'Mallory' });
  });

  it('[LIM2] leaves out a nick longer than 1,023 bytes of UTF-8, and keeps one at the bound', () => {
    const withNick = (nick: string) =>
      readMixMessage(message({}, xml('mix', { xmlns: 'urn:xmpp:mix:core:1' }, xml('nick', {}, nick))), CHANNEL);
    expect(withNick('n'.repeat(1023))?.senderNick).toBe('n'.repeat(1023));
    expect(withNick('n'.repeat(1024))?.senderNick).toBeUndefined();
    // 341 three-byte characters are 1,023 bytes; one more is over.
    expect(withNick('€'.repeat(341))?.senderNick).toBe('€'.repeat(341));
    expect(withNick('€'.repeat(342))?.senderNick).toBeUndefined();
    expect(withNick('n'.repeat(900_000))?.participantId).toBe('p1');
  });

  it('returns the event envelope', () => {
    const envelope = xml(
      'event',
      { xmlns: NS_EVENT, doc: 'd' },
      xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, '[]'),
    );
    const read = readMixMessage(parse(message({}, xml('body', {}, 'fallback'), envelope).toString()), CHANNEL);
    expect(read?.envelopes.map(String)).toEqual([envelope.toString()]);
  });

  it('ignores an <event/> in another namespace', () => {
    const read = readMixMessage(
      message({}, xml('event', { xmlns: 'http://jabber.org/protocol/pubsub#event' })),
      CHANNEL,
    );
    expect(read).toBeDefined();
    expect(read!.envelopes).toEqual([]);
  });

  it('leaves sender details undefined without a <mix/> element', () => {
    expect(readMixMessage(message({}), CHANNEL)).toEqual({
      archiveId: 'a1',
      lane: 'durable',
      participantId: 'p1',
      senderJid: undefined,
      senderNick: undefined,
      submissionId: undefined,
      envelopes: [],
      timestamp: undefined,
    });
  });

  it('reads the archive timestamp from a delay element', () => {
    const delay = xml('delay', { xmlns: 'urn:xmpp:delay', stamp: '2024-05-06T07:08:09.123Z' });
    expect(readMixMessage(message({}), CHANNEL, delay)?.timestamp).toEqual(
      new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)),
    );
  });

  it.each([
    ['from another channel', REFLECTED.replace('from="probe@', 'from="other@')],
    [
      'from a channel whose name extends this one',
      REFLECTED.replace('from="probe@mix.localhost/', 'from="probe@mix.localhost.evil/'),
    ],
    ['from the bare channel JID', REFLECTED.replace('/4664897dc6752483eaa1"', '"')],
    ['of type chat', REFLECTED.replace('type="groupchat"', 'type="chat"')],
    ['without type', REFLECTED.replace('type="groupchat" ', '')],
    ['without id', REFLECTED.replace(' id="1795303279492511"', '')],
    ['without from', REFLECTED.replace(' from="probe@mix.localhost/4664897dc6752483eaa1"', '')],
  ])('returns undefined for a message %s', (_, text) => {
    expect(readMixMessage(parse(text), CHANNEL)).toBeUndefined();
  });

  it('returns undefined for a stanza that is not a message', () => {
    expect(
      readMixMessage(parse(REFLECTED.replace(/^<message/, '<iq').replace(/message>$/, 'iq>')), CHANNEL),
    ).toBeUndefined();
  });
});
