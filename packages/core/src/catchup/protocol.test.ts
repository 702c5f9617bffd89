import { describe, expect, it } from 'vitest';
import { reasonOf } from '../testing/reasonOf.js';
import { xml } from '../xml/index.js';
import {
  MAX_STATE_VECTOR_CHARS,
  NS_CATCH_UP,
  catchUpAnswerElement,
  catchUpRequestIq,
  parseCatchUpAnswer,
  parseCatchUpRequest,
  partElement,
  partRequestIq,
} from './protocol.js';
import { botAddress } from './client.js';

describe('catch-up protocol', () => {
  it('[CU1] addresses a bare bot JID at the well-known resource', () => {
    expect(botAddress('bot@example.org')).toBe('bot@example.org/xsync-bot');
    expect(botAddress('bot@example.org/custom')).toBe('bot@example.org/custom');
  });

  it('[CU2] round-trips a request', () => {
    const request = { channel: 'room@mix.example.org', doc: 'notes', stateVector: new Uint8Array([1, 2, 3]) };
    const iq = catchUpRequestIq('bot@example.org/xsync-bot', request);
    expect(iq.attrs).toMatchObject({ type: 'get', to: 'bot@example.org/xsync-bot' });
    expect(parseCatchUpRequest(iq.getChild('catch-up', NS_CATCH_UP)!)).toEqual(request);
  });

  it('[CU5] refuses requests without a channel, with bad base64 or an oversized state vector', () => {
    const request = (attrs: Record<string, string>, vector: string) =>
      xml('catch-up', { xmlns: NS_CATCH_UP, ...attrs }, xml('state-vector', {}, vector));
    expect(reasonOf(() => parseCatchUpRequest(request({}, 'AA==')))).toBe('malformed');
    expect(reasonOf(() => parseCatchUpRequest(request({ channel: 'room@mix' }, 'A!==')))).toBe('invalid-payload');
    const huge = 'A'.repeat(MAX_STATE_VECTOR_CHARS + 4);
    expect(reasonOf(() => parseCatchUpRequest(request({ channel: 'room@mix' }, huge)))).toBe('oversized');
  });

  it('[CU3] [CU4] round-trips an answer and its further parts', () => {
    const answer = {
      channel: 'room@mix.example.org',
      doc: undefined,
      last: '1795311764652252',
      stateVector: new Uint8Array([1, 5]),
      parts: 3,
      token: 't1',
      firstPart: new Uint8Array([9, 9]),
    };
    expect(parseCatchUpAnswer(catchUpAnswerElement(answer))).toEqual(answer);
    const part = partElement('t1', 2, new Uint8Array([7]));
    expect(part.attrs).toMatchObject({ token: 't1', n: '2' });
    expect(partRequestIq('bot@x/xsync-bot', 't1', 2).getChild('part', NS_CATCH_UP)!.attrs).toMatchObject({
      token: 't1',
      n: '2',
    });
  });

  it('refuses answers with a bad part count or parts without a token', () => {
    const answer = (attrs: Record<string, string>) => xml('catch-up', { xmlns: NS_CATCH_UP, channel: 'r@m', ...attrs });
    expect(reasonOf(() => parseCatchUpAnswer(answer({ parts: '0' })))).toBe('malformed');
    expect(reasonOf(() => parseCatchUpAnswer(answer({ parts: 'x' })))).toBe('malformed');
    expect(reasonOf(() => parseCatchUpAnswer(answer({ parts: '2' })))).toBe('malformed');
    expect(reasonOf(() => parseCatchUpAnswer(xml('other', { xmlns: NS_CATCH_UP })))).toBe('malformed');
  });
});
