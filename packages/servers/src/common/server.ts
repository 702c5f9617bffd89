/** An XMPP account on a local server. */
export interface Account {
  username: string;
  password: string;
  /** Bare JID, `username@domain`. */
  jid: string;
}

/**
 * How many groupchat messages one account may send one room (LIM2): a token bucket that
 * holds `burst` messages and refills at `perSecond`. Messages over it are refused with
 * `resource-constraint` before the room relays or archives them.
 */
export interface RoomMessageRate {
  perSecond: number;
  burst: number;
}

/** What project-local servers allow each account in each room unless told otherwise. */
export const DEFAULT_ROOM_MESSAGE_RATE: RoomMessageRate = { perSecond: 500, burst: 500 };

/** Throws unless both numbers of a {@link RoomMessageRate} are positive integers. */
export function checkRoomMessageRate(rate: RoomMessageRate): RoomMessageRate {
  for (const [key, value] of Object.entries(rate)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`roomMessageRate.${key} must be a positive integer, got ${value}`);
  }
  return rate;
}

/** Which server software a {@link XmppServer} runs. */
export type ServerKind = 'ejabberd' | 'prosody';

/** What every project-local XMPP server offers, whichever software runs it. */
export interface XmppServer {
  kind: ServerKind;
  /** The server's version, e.g. `24.12` or `13.0.1`. */
  version: string;
  domain: string;
  /** The MUC service's domain, `muc.<domain>`, with MAM on rooms and occupant ids (XEP-0421). */
  mucDomain: string;
  /** `xmpp://127.0.0.1:<c2sPort>` for Node clients. */
  tcpUrl: string;
  /** `ws://127.0.0.1:<httpPort>/ws` (RFC 7395) for browsers. */
  wsUrl: string;
  c2sPort: number;
  httpPort: number;
  /** Config, data and logs. */
  dataDir: string;
  /** Operating-system process id of the server. */
  pid: number;
  /** Registers an account; a random name and password are chosen when omitted. */
  createAccount(username?: string, password?: string): Promise<Account>;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}
