import { describe, expect, it } from 'vitest';
import { xml } from '../xml/index.js';
import { NS_CONFERENCE, NS_MIX_MISC, invitationMessage, readInvitation } from './invitation.js';

const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';

describe('invitations (XEP-0407, XEP-0249)', () => {
  const invitation = (from: string, channel: string, inviter = 'mallory@evil.example') =>
    xml(
      'message',
      { from, to: 'bot@example.org' },
      xml('invitation', { xmlns: NS_MIX_MISC }, xml('inviter', {}, inviter), xml('channel', {}, channel)),
    );

  it('takes the inviter from the sender, not from the <inviter/> element', () => {
    expect(readInvitation(invitation('alice@example.org/web', 'room@mix.example.org'))).toEqual({
      inviter: 'alice@example.org',
      room: 'room@mix.example.org',
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
    expect(readInvitation(message)).toEqual({ inviter: 'alice@example.org', room: 'room@mix.example.org' });
  });

  it('builds XEP-0249 direct invitations to MUC rooms from outside the room, and reads them', () => {
    const direct = invitationMessage('bob@example.org', 'alice@example.org', 'room@muc.example.org', 'muc');
    expect(direct.attrs.to).toBe('bob@example.org');
    expect(direct.getChild('x', NS_CONFERENCE)?.attrs.jid).toBe('room@muc.example.org');
    const message = xml(
      'message',
      { from: 'alice@example.org/web' },
      xml('x', { xmlns: NS_CONFERENCE, jid: 'room@muc.example.org' }),
    );
    expect(readInvitation(message)).toEqual({ inviter: 'alice@example.org', room: 'room@muc.example.org' });
    message.getChild('x', NS_CONFERENCE)!.attrs.jid = 'room@muc/res';
    expect(readInvitation(message)).toBeUndefined();
  });

  it('[ACC1] builds mediated invitations to MUC rooms, and reads the inviter the room names', () => {
    const sent = invitationMessage('bob@example.org', 'alice@example.org', 'room@muc.example.org', 'muc', {
      occupant: true,
    });
    expect(sent.attrs.to).toBe('room@muc.example.org');
    expect(sent.getChild('x', NS_MUC_USER)?.getChild('invite')?.attrs.to).toBe('bob@example.org');
    const forwarded = (from: string, inviter: string) =>
      xml(
        'message',
        { from, to: 'bob@example.org' },
        xml('x', { xmlns: NS_MUC_USER }, xml('invite', { from: inviter })),
      );
    expect(readInvitation(forwarded('room@muc.example.org', 'alice@example.org/web'))).toEqual({
      inviter: 'alice@example.org',
      room: 'room@muc.example.org',
    });
    // From an occupant rather than the room, or a remote room naming a local inviter: not an invitation.
    expect(readInvitation(forwarded('room@muc.example.org/mallory', 'alice@example.org'))).toBeUndefined();
    expect(readInvitation(forwarded('room@muc.evil.example', 'alice@example.org'))).toBeUndefined();
    // A room that hides real JIDs names the inviter by its occupant JID: no account to trust.
    expect(readInvitation(forwarded('room@muc.example.org', 'room@muc.example.org/alice'))).toBeUndefined();
  });
});
