import * as Y from 'yjs';
import { Room } from '../room/Room.js';
import { Connection } from '../connection/Connection.js';
import type { WebSocketConstructor } from '../connection/webSocketTransport.js';
import { XmppProvider, type XmppProviderOptions } from './XmppProvider.js';

/** Where and as whom to join a room. */
export interface RoomSessionOptions {
  /** `wss://…/ws` (browsers) or `xmpp://host:port` (Node). */
  service: string;
  /** Bare JID of the account, e.g. `alice@example.org`; omit for SASL ANONYMOUS. */
  jid?: string;
  password?: string;
  /** XMPP domain, when it differs from the JID's (or, anonymous, from the service host). */
  domain?: string;
  /** Bare JID of the room: a MUC room or a MIX channel. */
  room: string;
  /** Nick shown to other participants. */
  nick?: string;
  /** Bots trusted for catch-up ([YP9]). */
  bots?: readonly string[];
  /** WebSocket constructor for Node 20. */
  WebSocket?: WebSocketConstructor;
}

const sessions = new Map<string, Promise<RoomSession>>();

/**
 * One connection and one room shared by everything on a page that works in the same room
 * as the same user (a whiteboard and an editor side by side), with one provider per document.
 * {@link RoomSession.acquire} counts users; the last {@link release} closes it all.
 */
export class RoomSession {
  readonly connection: Connection;
  readonly room: Room;
  readonly #options: RoomSessionOptions;
  readonly #key: string;
  readonly #providers = new Map<string, XmppProvider>();
  #users = 0;
  #closed = false;

  private constructor(connection: Connection, room: Room, options: RoomSessionOptions, key: string) {
    this.connection = connection;
    this.room = room;
    this.#options = options;
    this.#key = key;
  }

  /**
   * The session for these options, opened on first use. It resolves while the connection still
   * logs in, so that providers made at once join the room and catch up with the login
   * ([SES12]); {@link ready} tells when the session is ready, or why its login failed.
   */
  static acquire(options: RoomSessionOptions): Promise<RoomSession> {
    const key = JSON.stringify([options.service, options.jid ?? '', options.room]);
    let pending = sessions.get(key);
    if (!pending) {
      pending = Promise.resolve().then(() => RoomSession.#open(options, key));
      sessions.set(key, pending);
      pending.then(
        // A session whose login failed is not handed out again.
        (session) => session.ready.catch(() => sessions.get(key) === pending && sessions.delete(key)),
        () => sessions.delete(key),
      );
    }
    return pending.then((session) => {
      // Released to nobody between opening and now: start a new one.
      if (session.#closed) return RoomSession.acquire(options);
      session.#users++;
      return session;
    });
  }

  static #open(options: RoomSessionOptions, key: string): RoomSession {
    const at = options.jid?.indexOf('@') ?? -1;
    const connection = Connection.start({
      service: options.service,
      ...(options.domain !== undefined ? { domain: options.domain } : at > 0 && { domain: options.jid!.slice(at + 1) }),
      ...(at > 0 && { username: options.jid!.slice(0, at) }),
      ...(options.password !== undefined && { password: options.password }),
      ...(options.WebSocket && { WebSocket: options.WebSocket }),
    });
    const room = new Room(connection, {
      jid: options.room,
      ...(options.nick !== undefined && { nick: options.nick }),
    });
    return new RoomSession(connection, room, options, key);
  }

  /** Settles once the connection's first session is ready; rejects if its login fails. */
  get ready(): Promise<void> {
    return this.connection.ready;
  }

  /**
   * The provider of a document of the room, created (and connected) on first use. Options
   * apply only when it is created.
   */
  provider(docName: string, options: Omit<XmppProviderOptions, 'doc'> = {}): XmppProvider {
    let provider = this.#providers.get(docName);
    if (!provider) {
      provider = new XmppProvider(this.room, new Y.Doc(), {
        doc: docName,
        ...(this.#options.bots && { bots: this.#options.bots }),
        ...options,
      });
      this.#providers.set(docName, provider);
    }
    return provider;
  }

  /** One user is done; the last one destroys the providers and closes the connection. */
  async release(): Promise<void> {
    if (--this.#users > 0 || this.#closed) return;
    this.#closed = true;
    sessions.delete(this.#key);
    for (const provider of this.#providers.values()) provider.destroy();
    this.#providers.clear();
    this.room.destroy();
    await this.connection.close();
  }
}
