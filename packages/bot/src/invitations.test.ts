import { xml } from '@xsync/core';
import { describe, expect, it } from 'vitest';
import { NS_MIX_MISC, inviterAllowed, readInvitation } from './invitations.js';

describe('invitations [CU6]', () => {
  const invitation = (from: string, channel: string, inviter = 'mallory@evil.example') =>
    xml(
      'message',
      { from, to: 'bot@example.org' },
      xml('invitation', { xmlns: NS_MIX_MISC }, xml('inviter', {}, inviter), xml('channel', {}, channel)),
    );

  it('takes the inviter from the sender, not from the <inviter/> element', () => {
    expect(readInvitation(invitation('alice@example.org/web', 'room@mix.example.org'))).toEqual({
      inviter: 'alice@example.org',
      channel: 'room@mix.example.org',
    });
  });

  it('ignores other stanzas and channel values that are not bare JIDs', () => {
    expect(readInvitation(xml('message', { from: 'a@b' }, xml('body', {}, 'hi')))).toBeUndefined();
    expect(readInvitation(invitation('a@b', 'room@mix/res'))).toBeUndefined();
    expect(readInvitation(invitation('a@b', 'not a jid'))).toBeUndefined();
  });

  it('allows inviters by bare JID, by domain, or anyone with *', () => {
    expect(inviterAllowed('alice@example.org', ['example.org'])).toBe(true);
    expect(inviterAllowed('alice@example.org', ['alice@example.org'])).toBe(true);
    expect(inviterAllowed('alice@example.org', ['bob@example.org', 'other.example'])).toBe(false);
    expect(inviterAllowed('alice@example.org', ['*'])).toBe(true);
    expect(inviterAllowed('alice@example.org', [])).toBe(false);
  });
});
