import { userOf } from '@xsync/core/yjs';
import type { Awareness } from 'y-protocols/awareness';
import { type Box, MAX_COORDINATE, clampNumber } from '../model/shapes.js';
import type { RemoteUser } from './toolbar.js';

/**
 * Who is on the board, from awareness: everyone with a valid `user`, and for the others their
 * pointer and the part of the board they see, as far as those are well formed. Nothing else a
 * peer put in its state is read.
 */
export function readUsers(awareness: Awareness): RemoteUser[] {
  const users: RemoteUser[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = userOf(state);
    if (!user) continue;
    const others = clientId !== awareness.clientID;
    const { pointer, view, drawing } = state as { pointer?: unknown; view?: unknown; drawing?: unknown };
    users.push({
      clientId,
      ...user,
      pointer: others ? pointOf(pointer) : undefined,
      view: others ? viewOf(view) : undefined,
      drawing: drawing === true,
    });
  }
  return users;
}

/** A point from the network, or `undefined` unless both coordinates are numbers; clamped as shapes are. */
function pointOf(value: unknown): { x: number; y: number } | undefined {
  const point = value as { x?: unknown; y?: unknown } | undefined;
  if (typeof point?.x !== 'number' || typeof point.y !== 'number') return undefined;
  return { x: clampNumber(point.x, MAX_COORDINATE), y: clampNumber(point.y, MAX_COORDINATE) };
}

/** The part of the board someone sees: a box of finite, bounded, positive size, or `undefined`. */
function viewOf(value: unknown): Box | undefined {
  const point = pointOf(value);
  const { w, h } = (value ?? {}) as { w?: unknown; h?: unknown };
  if (!point || typeof w !== 'number' || typeof h !== 'number' || !(w > 0) || !(h > 0)) return undefined;
  return { ...point, w: clampNumber(w, 2 * MAX_COORDINATE), h: clampNumber(h, 2 * MAX_COORDINATE) };
}
