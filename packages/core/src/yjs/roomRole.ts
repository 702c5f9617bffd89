import type { RoomRole } from '../room/access.js';
import type { Room } from '../room/Room.js';

/**
 * Calls `listener` with this client's role in the room now, and again whenever it changes
 * ([ACC2]): an element turns view-only for a viewer, as the server refuses a viewer's
 * messages anyway. `undefined` while not joined, or where the room tells no roles (MIX).
 * Returns a function that stops watching.
 */
export function watchRole(room: Room, listener: (role: RoomRole | undefined) => void): () => void {
  let last: RoomRole | undefined | null = null;
  const check = () => {
    const role = room.role;
    if (role === last) return;
    last = role;
    listener(role);
  };
  room.on('participants', check);
  check();
  return () => room.off('participants', check);
}
