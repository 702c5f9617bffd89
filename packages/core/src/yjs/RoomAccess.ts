import * as Y from 'yjs';
import type { Room } from '../room/Room.js';
import { RoomSession } from './RoomSession.js';
import { XmppProvider } from './XmppProvider.js';

/**
 * How a component reaches its room: a provider or a joined room the app already holds, or
 * connection settings (the web components' attributes).
 */
export interface RoomSource {
  provider?: XmppProvider | undefined;
  xmppRoom?: Room | undefined;
  service?: string | undefined;
  jid?: string | undefined;
  password?: string | undefined;
  /** Bare JID of the room: a MUC room or a MIX channel. */
  room?: string | undefined;
  nick?: string | undefined;
  /** Trusted catch-up bots, separated by spaces or commas. */
  bots?: string | undefined;
}

/**
 * A component's way into its room: providers of the room's documents from a shared
 * {@link RoomSession}, or made on the app's own room. {@link close} destroys what it made
 * and releases the session, never what the app passed in.
 */
export class RoomAccess {
  readonly #session: RoomSession | undefined;
  readonly #room: Room | undefined;
  readonly #owned = new Map<string, XmppProvider>();

  private constructor(session: RoomSession | undefined, room: Room | undefined) {
    this.#session = session;
    this.#room = room;
  }

  /** Opens the room the source names; `undefined` while it names none. */
  static async open(source: RoomSource): Promise<RoomAccess | undefined> {
    const room = source.xmppRoom ?? source.provider?.room;
    if (room) return new RoomAccess(undefined, room);
    if (!source.service || !source.room) return undefined;
    const session = await RoomSession.acquire({
      service: source.service,
      room: source.room,
      ...(source.jid && { jid: source.jid }),
      ...(source.password !== undefined && { password: source.password }),
      ...(source.nick && { nick: source.nick }),
      bots: source.bots?.split(/[\s,]+/).filter(Boolean) ?? [],
    });
    return new RoomAccess(session, undefined);
  }

  /**
   * Settles once the session is ready, or rejects with why its login failed. Providers made
   * before it settles join and catch up with the login ([SES12]).
   */
  get ready(): Promise<void> {
    return this.#session?.ready ?? Promise.resolve();
  }

  /** The provider of one document of the room, made on first use. */
  provider(docName: string): XmppProvider {
    if (this.#session) return this.#session.provider(docName);
    let provider = this.#owned.get(docName);
    if (!provider) {
      provider = new XmppProvider(this.#room!, new Y.Doc(), { doc: docName });
      this.#owned.set(docName, provider);
    }
    return provider;
  }

  async close(): Promise<void> {
    for (const provider of this.#owned.values()) provider.destroy();
    this.#owned.clear();
    await this.#session?.release();
  }
}
