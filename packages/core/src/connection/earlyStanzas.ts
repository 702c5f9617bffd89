import type { Client } from '@xmpp/client';
import { type Element, xml } from '../xml/index.js';

const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';

/**
 * The client's last message of each mechanism's exchange, after which only the server speaks:
 * a FAST token's (XEP-0484) and PLAIN's one `<authenticate/>`, SCRAM's one `<response/>`.
 */
function lastMessageOf(mechanism: string): 'authenticate' | 'response' | undefined {
  if (/^HT-/.test(mechanism) || mechanism === 'PLAIN') return 'authenticate';
  if (/^SCRAM-/.test(mechanism)) return 'response';
  return undefined;
}

/** A stanza the application sent before the first session was ready. */
interface Held {
  stanza: Element;
  /** For a request: how long its answer may take, in milliseconds. */
  timeout?: number;
  resolve: (answer: Element | undefined) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

let counter = 0;
const newId = () => `early-${Date.now().toString(36)}-${++counter}`;

/**
 * Stanzas sent before a connection's first session is ready: a room joined and a catch-up
 * asked for while the client logs in ([SES12]). Behind the client's last message of a SASL2
 * authentication (a FAST token's `<authenticate/>`, SCRAM's `<response/>`) they leave at
 * once, the session's initial presence first, and the server handles them right after its
 * `<success/>`: the login's last round trip carries the join and the catch-up. Behind any
 * other login (RFC 6120 SASL, whose stream restarts) they wait until the session is ready.
 * When the server refuses the login, it refuses them too (ejabberd ends the stream, Prosody
 * answers each with an error); those answers are not the application's, and the stanzas are
 * sent again once the client has logged in, with its password after a refused token.
 */
export class EarlyStanzas {
  readonly #xmpp: Client;
  #held: Held[] = [];
  /** Requests that left with the login and await their answer, each with its timer. */
  readonly #awaiting = new Set<Held>();
  #pipelined: { presence: Element; items: Held[] } | undefined;
  /** Ids of stanzas refused with the login, whose error answers are dropped. */
  readonly #refused = new Set<string>();
  #presenceSent = false;
  #holding = true;
  #withLogin = 0;
  /** The login under way authenticates with a FAST token. */
  #token = false;
  #tokenRefused = false;

  constructor(xmpp: Client, pipelining: boolean) {
    this.#xmpp = xmpp;
    const emitter = xmpp as unknown as { on(event: string, listener: (element: Element) => void): void };
    if (pipelining) {
      let last: string | undefined;
      emitter.on('send', (element) => {
        if (element.attrs.xmlns !== NS_SASL2) return;
        if (element.name === 'authenticate') {
          this.#token = /^HT-/.test(String(element.attrs.mechanism));
          last = lastMessageOf(String(element.attrs.mechanism));
        }
        if (element.name === last) {
          last = undefined;
          this.#pipeline();
        }
      });
    }
    emitter.on('element', (element) => {
      if (!this.#pipelined || element.attrs.xmlns !== NS_SASL2) return;
      if (element.name === 'success') this.#accepted(element);
      else if (element.name === 'failure') this.#refuse();
    });
    // Only the first session's login carries them; a later socket's carries none.
    (xmpp as unknown as { on(event: 'connect', listener: () => void): void }).on('connect', () => {
      if (!this.#holding) this.#withLogin = 0;
    });
    // A connection lost before the server answered the login: nothing behind it counts.
    (xmpp as unknown as { on(event: 'disconnect', listener: () => void): void }).on('disconnect', () => {
      if (this.#pipelined) this.#refuse();
    });
  }

  /**
   * A token login with stanzas behind it was refused: the token is gone, and a new attempt
   * logs in with the password (a refused password is final).
   */
  get tokenRefused(): boolean {
    return this.#tokenRefused;
  }

  /** Stanzas of the application that left with the current socket's login, its presence not counted. */
  get withLogin(): number {
    return this.#withLogin;
  }

  /** Stanzas are held: the first session is not ready yet. */
  get holding(): boolean {
    return this.#holding;
  }

  send(stanza: Element): Promise<void> {
    return new Promise((resolve, reject) => this.#held.push({ stanza, resolve: () => resolve(), reject }));
  }

  request(iq: Element, timeout: number): Promise<Element> {
    return new Promise((resolve, reject) =>
      this.#held.push({ stanza: iq, timeout, resolve: (answer) => resolve(answer!), reject }),
    );
  }

  /** An answer to a stanza refused with the login: not for the application. */
  isRefusedAnswer(stanza: Element): boolean {
    return stanza.attrs.type === 'error' && this.#refused.has(String(stanza.attrs.id));
  }

  /**
   * The first session is ready: sends what is still held, in order, after the initial
   * presence, which the caller sends unless this returns that it left with the login.
   */
  ready(): { presenceSent: boolean; sendHeld: () => void } {
    this.#holding = false;
    this.#refused.clear();
    const held = this.#held.splice(0);
    return {
      presenceSent: this.#presenceSent,
      sendHeld: () => {
        for (const item of held) {
          if (item.timeout === undefined) this.#xmpp.send(item.stanza).then(() => item.resolve(undefined), item.reject);
          else this.#xmpp.iqCaller.request(item.stanza, item.timeout).then(item.resolve, item.reject);
        }
      },
    };
  }

  /**
   * The first login failed for good, or the connection is closed: whoever waits learns why,
   * and no answer timer outlives the connection.
   */
  fail(error: Error): void {
    this.#holding = false;
    for (const item of this.#held.splice(0)) item.reject(error);
    const { handlers } = this.#xmpp.iqCaller as unknown as { handlers: Map<string, Held> };
    for (const item of this.#awaiting) {
      handlers.delete(String(item.stanza.attrs.id));
      item.reject(error);
    }
  }

  /** Writes the initial presence and every held stanza right behind the `<authenticate/>` just sent. */
  #pipeline(): void {
    if (!this.#holding || this.#held.length === 0) return;
    const items = this.#held.splice(0);
    const presence = xml('presence', { id: newId() });
    const { handlers } = this.#xmpp.iqCaller as unknown as { handlers: Map<string, Held> };
    for (const item of items) {
      item.stanza.attrs.id ??= newId();
      if (item.timeout === undefined) continue;
      // Answered through xmpp.js's own routing of IQ results, as its requests are.
      const id = String(item.stanza.attrs.id);
      handlers.set(id, item);
      item.timer = setTimeout(() => {
        handlers.delete(id);
        item.reject(Object.assign(new Error(`No answer to ${id} within ${item.timeout} ms`), { name: 'TimeoutError' }));
      }, item.timeout);
      const { resolve, reject } = item;
      const settled = () => (clearTimeout(item.timer), this.#awaiting.delete(item));
      item.resolve = (answer) => (settled(), resolve(answer));
      item.reject = (error) => (settled(), reject(error));
      this.#awaiting.add(item);
    }
    this.#pipelined = { presence, items };
    // One write each, in order: over WebSocket every message is one element, which names its
    // namespace itself (RFC 7395 §3.3.3); on TCP the stream's default is the same.
    for (const stanza of [presence, ...items.map((item) => item.stanza)]) {
      stanza.attrs.xmlns ??= 'jabber:client';
      this.#xmpp.write(stanza.toString()).catch(() => this.#refuse());
    }
  }

  /** The login succeeded: the stanzas behind it count as sent on the new session. */
  #accepted(success: Element): void {
    const { presence, items } = this.#pipelined!;
    this.#pipelined = undefined;
    this.#presenceSent = true;
    this.#withLogin = items.length;
    // Sent in the session: what `send()` promised.
    for (const item of items) if (item.timeout === undefined) item.resolve(undefined);
    // Stream management was enabled before the server read them (XEP-0198 inline in Bind2):
    // they are the session's first stanzas, to be acknowledged and, if lost, sent again.
    if (success.getChild('bound', NS_BIND2)?.getChild('enabled', 'urn:xmpp:sm:3')) {
      const sm = this.#xmpp.streamManagement as unknown as { outbound_q: Array<{ stanza: Element; stamp: string }> };
      const stamp = new Date().toISOString();
      sm.outbound_q.unshift(...[presence, ...items.map((item) => item.stanza)].map((stanza) => ({ stanza, stamp })));
    }
  }

  /** The login failed: the stanzas behind it were refused with it; they wait for the next login. */
  #refuse(): void {
    if (!this.#pipelined) return;
    const { presence, items } = this.#pipelined;
    this.#pipelined = undefined;
    this.#tokenRefused ||= this.#token;
    const { handlers } = this.#xmpp.iqCaller as unknown as { handlers: Map<string, Held> };
    this.#refused.add(String(presence.attrs.id));
    for (const item of items) {
      const id = String(item.stanza.attrs.id);
      this.#refused.add(id);
      handlers.delete(id);
      clearTimeout(item.timer);
      this.#awaiting.delete(item);
      // Sent again under a new id, so that no late answer to this one is taken for it.
      item.stanza.attrs.id = newId();
    }
    this.#held.unshift(...items);
  }
}
