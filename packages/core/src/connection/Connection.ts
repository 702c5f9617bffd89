import { client, type Client } from '@xmpp/client';
import type { CredentialsFactory } from '@xmpp/sasl2';
import { ObservableV2 } from 'lib0/observable';
import { type Element, xml } from '../xml/index.js';
import { type Credentials, passwordLogin } from './fast/login.js';
import { type TokenStore, memoryTokenStore, tokenKey } from './fast/tokens.js';
import { indexedDbTokenStore } from './fast/indexedDbTokenStore.js';
import { ScramSha1 } from './scram.js';
import { fixInboundCounterReset } from './streamManagementFix.js';
import { bindExactResource, skipFeaturesNegotiatedInline } from './sasl2FeaturesFix.js';
import { type LoginInfo, traceLogin } from './loginTrace.js';
import { pipelineAuthentication } from './pipelining.js';
import { announceIdentityOnLoopback } from './streamFrom.js';
import { decodeUtf8AcrossReads } from './utf8StreamFix.js';
import { EarlyStanzas } from './earlyStanzas.js';
import { DefaultWebSocketTransport, type WebSocketConstructor, webSocketTransportFor } from './webSocketTransport.js';

const NS_CSI = 'urn:xmpp:csi:0';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';
const NS_PING = 'urn:xmpp:ping';
/** Milliseconds the server has to answer after the browser comes back online. */
const ONLINE_CHECK_TIMEOUT = 3000;

/** A stanza was given to a connection that is closed (by `close()`, or a failed first login). */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor() {
    super('The connection is closed');
  }
}

/** Where a {@link Connection} stands. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

type ClientCredentials = CredentialsFactory<Client>;

/** FAST tokens of this process, for connections that name no store of their own. */
const processTokens = memoryTokenStore();

/** The page's IndexedDB store, opened once for every connection of the page. */
let pageTokens: TokenStore | undefined;

/** Browsers keep tokens in IndexedDB; Node in memory unless a store is given. */
function defaultTokenStore(): TokenStore {
  return typeof indexedDB === 'undefined' ? processTokens : (pageTokens ??= indexedDbTokenStore());
}

/** Options of {@link connect}. */
export interface ConnectionOptions {
  /** `xmpp://host:port` (TCP, Node only) or `ws://…`/`wss://…` (WebSocket, RFC 7395). */
  service: string;
  /** XMPP domain. Default: the service's host name. */
  domain?: string;
  /** Account name (local part of the JID). SASL ANONYMOUS is used when omitted. */
  username?: string;
  /** Account password. */
  password?: string;
  /**
   * Create the account by in-band registration (XEP-0077) before the first sign-in; an
   * account that exists already is just signed in. Servers allow this only where they are
   * configured to (the local ejabberd: from loopback). Default: `false`.
   */
  register?: boolean;
  /**
   * Resource to bind, exactly (RFC 6120 §7), for a client others address by a well-known full
   * JID; costs one round trip more than Bind2. Default: none, and Bind2 (XEP-0386) lets the
   * server choose one within the login's round trips.
   */
  resource?: string;
  /** WebSocket constructor for runtimes without a global one (Node 20: `import { WebSocket } from 'ws'`). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after an unexpected disconnect, resuming the stream (XEP-0198) when possible. Default: `true`. */
  reconnect?: boolean;
  /** Milliseconds to wait for an IQ response. Default: 30,000. */
  requestTimeout?: number;
  /**
   * Where this device keeps FAST tokens (XEP-0484), with which later logins take one round
   * trip and no password; `false` never asks for one. Default: IndexedDB in browsers (sealed
   * with a non-extractable key), this process's memory in Node (`fileTokenStore(dir)` from
   * `@xsync/core/node` keeps them in a data directory).
   */
  tokens?: TokenStore | false;
  /**
   * Send the login right behind the stream header when this process has seen the server's
   * features before (XEP-0305 §3), saving a round trip. Default: `true`.
   */
  pipelining?: boolean;
}

/** Events of a {@link Connection}. */
export interface ConnectionEvents {
  /** The status changed. */
  status: (status: ConnectionStatus) => void;
  /** A stanza arrived (after stream management and IQ routing). */
  stanza: (stanza: Element) => void;
  /** The stream was resumed (XEP-0198): nothing was lost, subscriptions stand. */
  resumed: () => void;
  /** A new session started after the stream could not be resumed: stanzas may have been missed. */
  restarted: () => void;
  /** A transport or protocol error; the connection may reconnect on its own. */
  error: (error: Error) => void;
}

/**
 * One XMPP session over `@xmpp/client`: typed status events, TCP_NODELAY on Node sockets,
 * and a `close()` that leaves no timer or socket behind.
 */
export class Connection extends ObservableV2<ConnectionEvents> {
  /** The underlying xmpp.js client, for features this class does not wrap. */
  readonly xmpp: Client;
  #status: ConnectionStatus = 'offline';
  #sessions = 0;
  /** A SASL2 `<success/>` bound a new session that 'online' has not yet announced. */
  #boundAhead = false;
  #closed = false;
  #presence: Promise<void> = Promise.resolve();
  #active = true;
  #csiOffered = false;
  readonly #login: () => LoginInfo | undefined;
  readonly #requestTimeout: number;
  readonly #early: EarlyStanzas;
  /** The account's bare JID as the options name it; empty for SASL ANONYMOUS. */
  readonly #account: string;
  #ready: Promise<void> = Promise.resolve();

  private constructor(xmpp: Client, options: ConnectionOptions) {
    super();
    this.xmpp = xmpp;
    this.#requestTimeout = options.requestTimeout ?? 30_000;
    const domain = options.domain ?? new URL(options.service).hostname;
    this.#account = options.username === undefined ? '' : `${options.username}@${domain}`;
    xmpp.on('connect', () => {
      // Nagle's algorithm delays small stanzas by ~20 ms per hop.
      const socket = xmpp.socket as unknown as { setNoDelay?: (noDelay: boolean) => void } | null;
      socket?.setNoDelay?.(true);
    });
    xmpp.on('status', (status: string) => {
      if (status === 'connecting' || status === 'opening') this.#setStatus('connecting');
      else if (status === 'disconnect' || status === 'offline')
        this.#setStatus(this.#closed ? 'offline' : 'connecting');
    });
    xmpp.on('online', () => void this.#onSession());
    (xmpp.streamManagement as unknown as { on(event: 'resumed', listener: () => void): void }).on('resumed', () => {
      this.#setStatus('online');
      this.emit('resumed', []);
    });
    xmpp.on('stanza', (stanza: Element) => {
      if (!this.#early.isRefusedAnswer(stanza)) this.emit('stanza', [stanza]);
    });
    xmpp.on('element', (element: Element) => {
      // The session is new from its <success/>: what the server sends behind it (the answers
      // to stanzas sent with the login, SES12) belongs to it, before xmpp.js says 'online'.
      if (element.name === 'success' && element.attrs.xmlns === NS_SASL2 && element.getChild('bound', NS_BIND2)) {
        this.#sessions++;
        this.#boundAhead = true;
      }
      if (element.name === 'stream:features') {
        const sasl2 = element.getChild('authentication', NS_SASL2);
        if (sasl2) {
          // Servers may offer CSI beside Bind2 only, sending no features after SASL2.
          const bind = sasl2.getChild('inline')?.getChild('bind', NS_BIND2);
          this.#csiOffered = bind?.getChild('inline')?.getChildByAttr('var', NS_CSI) !== undefined;
        } else if (!element.getChild('mechanisms', NS_SASL)) {
          // The features of an authenticated stream (after SASL, or sent again after SASL2).
          this.#csiOffered ||= element.getChild('csi', NS_CSI) !== undefined;
        }
      }
    });
    xmpp.on('error', (error: Error) => this.emit('error', [error]));
    if (options.reconnect === false) xmpp.reconnect.stop();
    fixInboundCounterReset(xmpp);
    skipFeaturesNegotiatedInline(xmpp);
    if (options.resource !== undefined) bindExactResource(xmpp);
    // Set up last: its listener runs first, so it keeps the features as the server sent them.
    // Anonymous streams name no user, so servers offer them no SASL2 to pipeline.
    const pipelines = options.pipelining !== false && options.username !== undefined;
    const pipelined = pipelines ? pipelineAuthentication(xmpp, options.service) : undefined;
    this.#login = traceLogin(xmpp, pipelined);
    this.#early = new EarlyStanzas(xmpp, options.pipelining !== false);
    decodeUtf8AcrossReads(xmpp);
    // mod_mix_pam pushes each joined channel into the roster (RFC 6121 §2.1.6): acknowledge it.
    xmpp.iqCallee.set('jabber:iq:roster', 'query', () => ({}));
    if (options.reconnect !== false && typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('offline', this.#onOffline);
      window.addEventListener('online', this.#onOnline);
    }
  }

  /**
   * The browser lost its network. Its socket may linger half-open (Chromium keeps it until a
   * close handshake that cannot happen), so the session counts as offline at once: providers
   * hold local edits instead of sending them into a dead socket.
   */
  readonly #onOffline = (): void => {
    if (this.#status === 'online') this.#setStatus('connecting');
  };

  /**
   * The network is back: reconnect now if the socket was lost; if it still looks open, ask the
   * server for any answer first (XEP-0199 ping) and drop the socket if none comes, so xmpp.js
   * reconnects and resumes the stream.
   */
  readonly #onOnline = (): void => {
    if (this.#closed) return;
    const status = this.xmpp.status as string;
    if (status === 'disconnect') {
      this.xmpp.reconnect.reconnect().catch(() => undefined);
      return;
    }
    if (status !== 'online') return;
    const ping = xml('iq', { type: 'get', to: this.xmpp.jid?.domain }, xml('ping', { xmlns: NS_PING }));
    this.xmpp.iqCaller.request(ping, ONLINE_CHECK_TIMEOUT).then(
      () => {
        if (!this.#closed) this.#setStatus('online');
      },
      (error: Error) => {
        if (this.#closed) return;
        // An error answer still proves the stream alive; only silence does not.
        if (error.name !== 'TimeoutError') this.#setStatus('online');
        else (this.xmpp.socket as unknown as { end?: () => void } | null)?.end?.();
      },
    );
  };

  /** Opens a session and resolves once it is online. */
  static async open(options: ConnectionOptions): Promise<Connection> {
    const connection = Connection.start(options);
    await connection.ready;
    return connection;
  }

  /**
   * Starts logging in and returns at once: rooms can be joined and requests made before the
   * session is ready ({@link ready}). What they send leaves right behind the login's last
   * message ([SES12]): with a FAST token kept from an earlier login, the login, a room's join
   * and a bot's catch-up take one round trip together.
   */
  static start(options: ConnectionOptions): Connection {
    if (options.register && (!options.username || !options.password)) {
      throw new TypeError('Registering an account needs a username and a password');
    }
    let credentials: Credentials | undefined;
    let tokenSaved = () => Promise.resolve();
    const usesPassword = options.username !== undefined && options.password !== undefined;
    const xmpp: Client = client({
      service: options.service,
      domain: options.domain,
      username: options.username,
      password: options.password,
      resource: options.resource,
      // Both SASL2 and SASL call this one handler, made below once the client exists.
      ...(usesPassword && {
        credentials: ((...args: Parameters<Credentials>) => credentials!(...args)) as unknown as ClientCredentials,
      }),
    });
    if (usesPassword) {
      const tokens = options.tokens === false ? undefined : (options.tokens ?? defaultTokenStore());
      const domain = options.domain ?? new URL(options.service).hostname;
      const login = passwordLogin(
        {
          username: options.username!,
          password: options.password!,
          register: options.register ? (iq) => xmpp.iqCaller.request(iq) : undefined,
          tokens,
          tokenKey: tokenKey(`${options.username}@${domain}`, options.service),
        },
        (xmpp as unknown as { fast: Parameters<typeof passwordLogin>[1] }).fast,
      );
      credentials = login.credentials;
      tokenSaved = login.saved;
    }
    useNativeScram(xmpp);
    announceIdentityOnLoopback(xmpp, options.service);
    if (options.WebSocket) {
      const index = xmpp.transports.indexOf(DefaultWebSocketTransport as never);
      xmpp.transports.splice(index, 1, webSocketTransportFor(options.WebSocket) as never);
    }
    const connection = new Connection(xmpp, options);
    connection.#setStatus('connecting');
    connection.#ready = (async () => {
      try {
        try {
          await xmpp.start();
        } catch (error) {
          // A refused token with stanzas behind it ends the stream on some servers (ejabberd):
          // the token is gone, so the next attempt, which xmpp.js may already be making, logs
          // in with the password.
          if (!connection.#early.tokenRefused) throw error;
          if ((xmpp.status as string) === 'offline') await xmpp.start();
          else await connection.#online(error as Error);
        }
        await connection.#presence;
        // Resolve with a token from this login kept, so the next login can use it.
        await tokenSaved();
      } catch (error) {
        connection.#early.fail(error as Error);
        await connection.close();
        throw error;
      }
    })();
    // Whoever awaits `ready` learns of a failure; nobody else has to.
    connection.#ready.catch(() => undefined);
    return connection;
  }

  /** Settles once the first session is ready; rejects (and closes) if its login fails. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** The XMPP session: 1 for the first, one more after each failed resumption (`restarted`). */
  get session(): number {
    return this.#sessions;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The full JID of this session. */
  get jid(): string {
    return this.xmpp.jid?.toString() ?? '';
  }

  /** How the current session signed in; `undefined` before the first login. */
  get login(): Readonly<LoginInfo> | undefined {
    const login = this.#login();
    return login && { ...login, withLogin: this.#early.withLogin };
  }

  /** The bare JID of the account. */
  get bareJid(): string {
    // Known from the options before the first login ends (a room joined meanwhile, SES12).
    return this.xmpp.jid?.bare().toString() ?? this.#account;
  }

  /**
   * Sends a stanza. Before the first session is ready it waits for the login (or leaves with
   * it, [SES12]); queued by stream management while reconnecting.
   */
  send(stanza: Element): Promise<void> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError());
    if (this.#early.holding) return this.#early.send(stanza);
    return this.xmpp.send(stanza);
  }

  /** Sends an IQ and resolves with its result; rejects with an `XMPPError` on an error response. */
  request(iq: Element, timeout = this.#requestTimeout): Promise<Element> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError());
    if (this.#early.holding) return this.#early.request(iq, timeout);
    return this.xmpp.iqCaller.request(iq, timeout);
  }

  /** The server offers Client State Indication (XEP-0352). */
  get csiSupported(): boolean {
    return this.#csiOffered;
  }

  /**
   * Tells the server whether a person is looking (XEP-0352): an inactive client lets the
   * server hold back what is not urgent, saving battery and bandwidth on hidden tabs and
   * phones. Remembered across new sessions; a no-op where the server does not offer CSI.
   */
  async setActive(active: boolean): Promise<void> {
    if (active === this.#active) return;
    this.#active = active;
    if (this.#status === 'online') await this.#sendClientState();
  }

  async #sendClientState(): Promise<void> {
    if (!this.#csiOffered) return;
    await this.xmpp.send(xml(this.#active ? 'active' : 'inactive', { xmlns: NS_CSI }));
  }

  /** Ends the session (no reconnect) and releases the socket and timers. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#early.fail(new ConnectionClosedError());
    this.xmpp.reconnect.stop();
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('offline', this.#onOffline);
      window.removeEventListener('online', this.#onOnline);
    }
    try {
      await this.xmpp.stop();
    } catch {
      this.xmpp.socket?.end?.();
    }
    this.#setStatus('offline');
    super.destroy();
  }

  override destroy(): void {
    void this.close();
  }

  async #onSession(): Promise<void> {
    if (this.#boundAhead) this.#boundAhead = false;
    else this.#sessions++;
    const early = this.#early.holding ? this.#early.ready() : undefined;
    // Initial presence: ejabberd delivers MIX participant notifications (normal messages
    // to the bare JID) only to available resources. It may have left with the login.
    if (!early?.presenceSent) {
      this.#presence = this.xmpp.send(xml('presence')).catch((error: Error) => this.emit('error', [error]));
    }
    // What the application sent before the session was ready, after the presence.
    early?.sendHeld();
    await this.#presence;
    // Client state is per stream: a new session starts active (XEP-0352 §4).
    if (!this.#active) await this.#sendClientState().catch((error: Error) => this.emit('error', [error]));
    this.#setStatus('online');
    if (this.#sessions > 1) this.emit('restarted', []);
  }

  /** Resolves when xmpp.js is online, or rejects with `error` if it gives up first. */
  #online(error: Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const onStatus = (status: string) => {
        if (status !== 'online' && status !== 'offline') return;
        this.xmpp.removeListener('status', onStatus);
        if (status === 'online') resolve();
        else reject(error);
      };
      this.xmpp.on('status', onStatus);
    });
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.emit('status', [status]);
  }
}

/**
 * Puts {@link ScramSha1} (native PBKDF2, cached salted password) in place of xmpp.js's
 * JavaScript SCRAM-SHA-1, or first in line where the browser build of xmpp.js has none.
 */
function useNativeScram(xmpp: Client): void {
  const { saslFactory } = xmpp as unknown as { saslFactory: { _mechs: Array<{ name: string; mech: unknown }> } };
  const mechanisms = saslFactory._mechs;
  const entry = { name: 'SCRAM-SHA-1', mech: ScramSha1 };
  const index = mechanisms.findIndex((mechanism) => mechanism.name === entry.name);
  if (index === -1) mechanisms.unshift(entry);
  else mechanisms[index] = entry;
}

/** Opens an XMPP session. */
export function connect(options: ConnectionOptions): Promise<Connection> {
  return Connection.open(options);
}
