import { describe, expect, it } from 'vitest';
import { xml } from '../xml/index.js';
import { NS_MIX_MISC, invitationMessage, readInvitation } from './invitation.js';

describe('invitations (XEP-0407)', () => {
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

  it('builds invitations that read back', () => {
    const message = invitationMessage('bot@example.org', 'alice@example.org', 'room@mix.example.org');
    expect(message.getChild('invitation', NS_MIX_MISC)?.getChildText('invitee')).toBe('bot@example.org');
    message.attrs.from = 'alice@example.org/web';
    expect(readInvitation(message)).toEqual({ inviter: 'alice@example.org', channel: 'room@mix.example.org' });
  });
});
