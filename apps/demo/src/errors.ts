// What went wrong, in words a person in the room understands, from the XMPP error conditions
// the toolkit's errors carry (RFC 6120 §8.3.3, XEP-0045 §7.2).

/** What the person was doing when the error came. */
export type Attempt = 'enter' | 'manage' | 'edit';

/** A sentence for `error`; `self` is the visitor's address, for someone who must ask to be let in. */
export function inWords(error: unknown, attempt: Attempt, self = ''): string {
  const { name, condition, message } = error as { name?: string; condition?: string; message?: string };
  switch (condition) {
    case 'registration-required':
      return `This room is for its members only. Ask its owner to add you: your address is ${self}.`;
    case 'forbidden':
      if (attempt === 'enter') return 'You are banned from this room.';
      if (attempt === 'manage') return 'Only an owner of this room can do that.';
      return 'You can look at this room but not change it: you are a viewer here.';
    case 'not-acceptable':
      return attempt === 'manage'
        ? 'Everyone a members-only or private room lets in edits: it has no viewers. Viewers are for public rooms whose members edit.'
        : 'The room refused that.';
    case 'item-not-found':
      return attempt === 'manage' ? 'No such account or room.' : 'There is no room by this name.';
    case 'jid-malformed':
      return 'That is not a valid address: it looks like name@example.org.';
    case 'conflict':
      return 'Someone in the room already uses your name.';
    case 'service-unavailable':
    case 'remote-server-not-found':
    case 'remote-server-timeout':
      return 'The server did not answer. Check your connection and try again.';
    case 'resource-constraint':
    case 'policy-violation':
      return 'You are sending too fast: the room held some of it back.';
    case 'gone':
      return 'This room was closed by its owner.';
  }
  if (name === 'TimeoutError') return 'The server took too long to answer. Try again.';
  return message ? `Something went wrong: ${message}` : 'Something went wrong.';
}
