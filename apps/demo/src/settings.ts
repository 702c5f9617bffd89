// What the demo needs to know before it can connect: the server (from the build's
// environment, or typed in by the visitor), who the visitor is, and which account to use.

/** An XMPP server with MUC (XEP-0045) or MIX (XEP-0369) rooms that the demo can use. */
export interface ServerSettings {
  /** `ws://…/ws` or `wss://…/ws` (RFC 7395). */
  service: string;
  /** XMPP domain of the accounts. */
  domain: string;
  /** Service that holds the rooms: a MUC service, or a MIX service. */
  roomService: string;
  /** Bare JID of the catch-up bot, if the server runs one. */
  bot?: string | undefined;
  /** The server registers guest accounts in band (the local ejabberd, from loopback only). */
  guests: boolean;
}

/** How the visitor appears to others. */
export interface Identity {
  name: string;
  color: string;
}

/** The XMPP account the demo signs in with. */
export interface Account {
  jid: string;
  password: string;
  /** A guest account the demo made up: registered on first use. */
  guest: boolean;
}

/**
 * Colours people are told apart by. Each has at least 4.5:1 contrast on white, so a name
 * written in it stays readable (WCAG AA).
 */
export const COLORS = [
  { name: 'Blue', value: '#0b57d0' },
  { name: 'Red', value: '#b3261e' },
  { name: 'Green', value: '#146c2e' },
  { name: 'Purple', value: '#8e24aa' },
  { name: 'Brown', value: '#8a4a00' },
  { name: 'Teal', value: '#00695c' },
] as const;

const env = import.meta.env;
const IDENTITY_KEY = 'xsync-demo:identity';
const SERVER_KEY = 'xsync-demo:server';
const ACCOUNT_KEY = 'xsync-demo:account';
const GUEST_KEY = 'xsync-demo:guest:';

/** Room opened when the visitor names none. */
export const DEFAULT_ROOM: string = env.VITE_XSYNC_ROOM || 'demo';

/** The server the demo was built for (`npm start` sets it), or `undefined` when it was built without one. */
export function builtInServer(): ServerSettings | undefined {
  const service = env.VITE_XSYNC_SERVICE;
  if (!service) return undefined;
  const domain = env.VITE_XSYNC_DOMAIN || new URL(service).hostname;
  return {
    service,
    domain,
    roomService: env.VITE_XSYNC_ROOM_SERVICE || `muc.${domain}`,
    bot: env.VITE_XSYNC_BOT || undefined,
    guests: env.VITE_XSYNC_GUESTS === 'register',
  };
}

/** The server the visitor chose last time, else the built-in one. */
export function savedServer(): ServerSettings | undefined {
  return read<ServerSettings>(localStorage, SERVER_KEY) ?? builtInServer();
}

export function saveServer(server: ServerSettings): void {
  if (sameServer(server, builtInServer())) localStorage.removeItem(SERVER_KEY);
  else localStorage.setItem(SERVER_KEY, JSON.stringify(server));
}

/**
 * Who the visitor is in this tab. Each tab is its own participant (two windows side by side
 * are two people), and a reload keeps it; a new tab starts from the name used last.
 */
export function savedIdentity(): Identity | undefined {
  return read<Identity>(sessionStorage, IDENTITY_KEY);
}

/** The identity used last in this browser, to start a new tab from. */
export function lastIdentity(): Identity | undefined {
  return read<Identity>(localStorage, IDENTITY_KEY);
}

export function saveIdentity(identity: Identity): void {
  sessionStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

/**
 * The account for a server in this tab: on a server with guest accounts, one made up for
 * the tab and registered on first use; elsewhere the JID and password the visitor typed in.
 */
export function savedAccount(server: ServerSettings): Account | undefined {
  if (server.guests) {
    const key = GUEST_KEY + server.service;
    let guest = read<{ username: string; password: string }>(sessionStorage, key);
    if (!guest) {
      guest = { username: `guest-${randomToken(5)}`, password: randomToken(16) };
      sessionStorage.setItem(key, JSON.stringify(guest));
    }
    return { jid: `${guest.username}@${server.domain}`, password: guest.password, guest: true };
  }
  return read<Account>(sessionStorage, ACCOUNT_KEY);
}

export function saveAccount(account: Account): void {
  if (!account.guest) sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify(account));
}

export function sameServer(a: ServerSettings | undefined, b: ServerSettings | undefined): boolean {
  return a !== undefined && b !== undefined && a.service === b.service && a.domain === b.domain;
}

/** Lower-case letters and digits from the platform's secure random source. */
export function randomToken(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );
}

function read<T>(storage: Storage, key: string): T | undefined {
  try {
    const text = storage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}
