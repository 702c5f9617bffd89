import { type Element, xml } from '../../xml/index.js';
import type { RoomCreation, RoomMember, RoomRole } from '../access.js';
import { NS_MUC_OWNER } from './protocol.js';

export const NS_MUC_ADMIN = 'http://jabber.org/protocol/muc#admin';

/** XEP-0045 affiliations and roles. */
export type Affiliation = 'owner' | 'admin' | 'member' | 'none' | 'outcast';
export type MucRole = 'moderator' | 'participant' | 'visitor' | 'none';

/**
 * Room configuration for an access mode ([ACC1], [ACC2]), in the fields either server offers
 * (unknown fields are left out when submitting): members-only rooms admit members alone;
 * a moderated room gives occupants without affiliation the visitor role, which may not send
 * messages, and members the participant role. ejabberd's `members_by_default` would make
 * everyone a participant in a moderated room, so it is off where members alone edit.
 */
export function accessConfig({
  access = 'public',
  editors = 'everyone',
  listed = false,
}: RoomCreation): Record<string, string> {
  const membersOnly = access !== 'public';
  const viewersByDefault = access === 'public' && editors === 'members';
  const memberInvites = access === 'members-only' ? '1' : '0';
  return {
    'muc#roomconfig_publicroom': listed ? '1' : '0',
    'muc#roomconfig_membersonly': membersOnly ? '1' : '0',
    'muc#roomconfig_moderatedroom': viewersByDefault ? '1' : '0',
    members_by_default: viewersByDefault ? '0' : '1',
    // ejabberd: members may invite; Prosody: members may invite, and the invitee becomes a member.
    'muc#roomconfig_allowinvites': memberInvites,
    '{http://prosody.im/protocol/muc}roomconfig_allowmemberinvites': memberInvites,
    // Only owners and admins change the subject, which xsync does not use.
    'muc#roomconfig_changesubject': '0',
  };
}

/**
 * How a room is set up, from its configuration form: the reverse of {@link accessConfig}.
 * A members-only room whose members may invite is `members-only`, one whose members may not
 * is `private`; a moderated room is edited by its members.
 */
export function readAccessConfig(form: Element | undefined): Required<RoomCreation> {
  const on = (name: string) =>
    ['1', 'true'].includes(
      form
        ?.getChildren('field')
        .find((field) => field.attrs.var === name)
        ?.getChildText('value') ?? '',
    );
  const invites =
    on('muc#roomconfig_allowinvites') || on('{http://prosody.im/protocol/muc}roomconfig_allowmemberinvites');
  return {
    access: !on('muc#roomconfig_membersonly') ? 'public' : invites ? 'members-only' : 'private',
    editors: on('muc#roomconfig_moderatedroom') ? 'members' : 'everyone',
    listed: on('muc#roomconfig_publicroom'),
  };
}

/** The xsync role of an occupant: owners and admins manage, visitors view, everyone else edits. */
export function roleOf(affiliation: string | undefined, role: string | undefined): RoomRole {
  if (affiliation === 'owner' || affiliation === 'admin') return 'owner';
  return role === 'visitor' ? 'viewer' : 'editor';
}

/**
 * The affiliation that gives a role ([ACC2]): owners are owners, editors members, and viewers
 * have none (in a public room whose members alone edit, that makes them visitors).
 */
export function affiliationFor(role: RoomRole | 'none'): Affiliation {
  return role === 'owner' ? 'owner' : role === 'editor' ? 'member' : 'none';
}

/** XEP-0045 §9.3 / §10.3: sets the affiliation of `jid` (bare). */
export function setAffiliationIq(room: string, jid: string, affiliation: Affiliation): Element {
  return xml('iq', { type: 'set', to: room }, xml('query', { xmlns: NS_MUC_ADMIN }, xml('item', { jid, affiliation })));
}

/** XEP-0045 §9.5: the list of one affiliation. */
export function affiliationListIq(room: string, affiliation: Affiliation): Element {
  return xml('iq', { type: 'get', to: room }, xml('query', { xmlns: NS_MUC_ADMIN }, xml('item', { affiliation })));
}

/** Reads an affiliation list: the bare JIDs it holds. */
export function readAffiliationList(result: Element): string[] {
  const items = result.getChild('query', NS_MUC_ADMIN)?.getChildren('item') ?? [];
  return items.map((item) => String(item.attrs.jid ?? '').split('/')[0]!).filter((jid) => jid.includes('@'));
}

/** Members of a room from its owner, admin and member lists. */
export function membersOf(lists: { owner: string[]; admin: string[]; member: string[] }): RoomMember[] {
  const members = new Map<string, RoomMember>();
  for (const jid of lists.member) members.set(jid, { jid, role: 'editor' });
  for (const jid of [...lists.admin, ...lists.owner]) members.set(jid, { jid, role: 'owner' });
  return [...members.values()];
}

/** XEP-0045 §10.9: the owner destroys the room (ejabberd drops its archive; Prosody keeps a tombstone of the name). */
export function destroyIq(room: string, reason?: string): Element {
  return xml(
    'iq',
    { type: 'set', to: room },
    xml(
      'query',
      { xmlns: NS_MUC_OWNER },
      xml('destroy', {}, reason === undefined ? undefined : xml('reason', {}, reason)),
    ),
  );
}
