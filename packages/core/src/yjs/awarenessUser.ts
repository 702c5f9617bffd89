import type { Awareness } from 'y-protocols/awareness';

/** Who a client is, as Yjs editors show it: the `user` awareness field of y-codemirror.next. */
export interface AwarenessUser {
  name: string;
  /** `#rgb` to `#rrggbbaa`. */
  color: string;
}

/** Colours for users who chose none, each readable on white. */
export const USER_COLORS = ['#0a5dc2', '#b3261e', '#1e7b34', '#8e24aa', '#c25e00', '#00796b'] as const;

const HEX_COLOR = /^#[0-9a-f]{3,8}$/i;
const MAX_NAME = 40;

/**
 * Announces the local user to the others. Without a colour, one is derived from the client
 * id, so a user keeps it for the life of the document. `colorLight` is y-codemirror.next's
 * selection tint.
 */
export function announceUser(
  awareness: Awareness,
  user: { name?: string | undefined; color?: string | undefined },
): void {
  const color = user.color ?? USER_COLORS[awareness.clientID % USER_COLORS.length]!;
  awareness.setLocalStateField('user', { name: user.name ?? 'Anonymous', color, colorLight: `${color}33` });
}

/**
 * The user an awareness state names, made safe to show: states come from the network, so the
 * name is cut to 40 characters and only a hex colour passes (it ends up in style attributes).
 * `undefined` for a state without a `user` field.
 */
export function userOf(state: unknown): AwarenessUser | undefined {
  const user = (state as { user?: { name?: unknown; color?: unknown } } | null)?.user;
  if (typeof user !== 'object' || user === null) return undefined;
  return {
    name: typeof user.name === 'string' ? user.name.slice(0, MAX_NAME) : 'Anonymous',
    color: typeof user.color === 'string' && HEX_COLOR.test(user.color) ? user.color : '#888888',
  };
}
