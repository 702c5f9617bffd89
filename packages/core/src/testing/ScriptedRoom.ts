import { type Element, xml } from '../xml/index.js';
import { ScriptedServer } from './ScriptedServer.js';

// The server side of a client vector (docs/protocol.md §15): a loopback XMPP server holding
// one MUC room, enough of one for a client to log in, join, read the archive, and publish.

const NS_SM = 'urn:xmpp:sm:3';
const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';
const NS_MUC = 'http://jabber.org/protocol/muc';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_DELAY = 'urn:xmpp:delay';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** Addresses of the scripted world, as the other vector files name them. */
export const SCRIPTED = {
  domain: 'example',
  service: 'muc.example',
  room: 'room@muc.example',
  /** The client under test: its account, resource, nick and occupant id. */
  account: 'bob@example',
  jid: 'bob@example/web',
  nick: 'bob',
  occupantId: 'occ-bob',
  password: 'bob-password',
} as const;

/** An archived or relayed message of the room, as the room stamps it. */
interface Archived {
  id: string;
  message: Element;
  stamp: string;
}

/** How the room answers the client; each may be changed by a vector step. */
export interface RoomBehaviour {
  /** Reflect each groupchat message at once, as a MUC room does (ECHO1). Default: `true`. */
  reflect: boolean;
  /** Let a dropped stream be resumed (XEP-0198). Default: `true`. */
  resume: boolean;
  /** Answer a join at once; when `false`, only at {@link ScriptedRoom.answerJoin}. Default: `true`. */
  answerJoins: boolean;
}

/** An IQ answer a vector adds: when a request matches `when`, `reply` goes back with its id. */
export interface StandingAnswer {
  when: (request: Element) => boolean;
  reply: (request: Element) => string;
}

/**
 * Logs the client in (SASL2 PLAIN with Bind2 and stream management, any password), answers its
 * joins, disco#info, archive queries and acknowledgement requests as a MUC service does, and
 * keeps what it publishes: its messages to the room in `messages`, its requests in `requests`.
 */
export class ScriptedRoom {
  readonly server: ScriptedServer;
  readonly behaviour: RoomBehaviour = { reflect: true, resume: true, answerJoins: true };
  readonly archive: Archived[] = [];
  readonly answers: StandingAnswer[] = [];
  /** Messages the client sent to the room, in order, each taken once by the vector. */
  readonly messages = new Queue();
  /** IQs and presences the client sent, in order. */
  readonly requests = new Queue();
  #inbound = 0;
  /** Messages kept back while `behaviour.reflect` is off, oldest first. */
  readonly #unreflected: Element[] = [];
  readonly #barriers = new Map<string, () => void>();
  #nextBarrier = 1;
  #logins = 0;
  /** Joins held back while `behaviour.answerJoins` is off. */
  readonly #heldJoins: string[] = [];
  readonly #loginWaiters: Array<{ count: number; resolve: () => void }> = [];
  #sessions = 0;
  #nextArchiveId = 1;
  #closed = false;

  private constructor(server: ScriptedServer) {
    this.server = server;
  }

  static async listen(): Promise<ScriptedRoom> {
    return new ScriptedRoom(await ScriptedServer.listen());
  }

  /** Serves every connection the client opens, until `close()`. */
  serve(): void {
    void (async () => {
      for (let connection = 1; !this.#closed; connection++) {
        await this.server.connection(connection);
        // Each connection until it ends: a new one ends the one before.
        if (!this.#closed) void this.#serveConnection(connection).catch(() => undefined);
      }
    })();
  }

  /** Adds a message to the archive as the room would have stamped it. */
  archiveMessage(message: Element, stamp = '2026-01-01T00:00:00Z'): string {
    const id = message.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.id ?? `A${this.#nextArchiveId++}`;
    this.archive.push({ id: String(id), message, stamp });
    return String(id);
  }

  /** Sends `text` to the client. */
  deliver(text: string): Promise<void> {
    return this.server.write(text);
  }

  /** The room relays a message the client published: stamped, archived when durable, sent back. */
  async reflect(message: Element): Promise<void> {
    const copy = xml('message', { ...message.attrs, from: `${SCRIPTED.room}/${SCRIPTED.nick}`, to: SCRIPTED.jid });
    for (const child of message.children) if (typeof child !== 'string') copy.append(child);
    const durable = !message.getChild('no-store', 'urn:xmpp:hints');
    copy.append(xml('occupant-id', { xmlns: 'urn:xmpp:occupant-id:0', id: SCRIPTED.occupantId }));
    if (durable) {
      const id = `A${this.#nextArchiveId++}`;
      copy.append(xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: SCRIPTED.room, id }));
      this.archive.push({ id, message: copy, stamp: '2026-01-01T00:00:00Z' });
    }
    await this.server.write(copy.toString());
  }

  /** Logins (new sessions and resumptions) answered so far. */
  get logins(): number {
    return this.#logins;
  }

  /** Resolves once the `count`th login has been answered. */
  loggedIn(count: number): Promise<void> {
    if (this.#logins >= count) return Promise.resolve();
    return new Promise((resolve) => this.#loginWaiters.push({ count, resolve }));
  }

  /** Answers the joins held back. */
  async answerJoins(): Promise<void> {
    for (const to of this.#heldJoins.splice(0)) await this.#joined(to);
  }

  /** Reflects the oldest message kept back. */
  async reflectNext(): Promise<void> {
    const message = this.#unreflected.shift();
    if (!message) throw new Error('no message awaits its reflection');
    await this.reflect(message);
  }

  /**
   * Resolves once the client has answered a ping sent now: everything it sent before the
   * answer has arrived, and everything written to it before has been read.
   */
  async barrier(): Promise<void> {
    const id = `barrier-${this.#nextBarrier++}`;
    const answered = new Promise<void>((resolve) => this.#barriers.set(id, resolve));
    await this.server.write(
      `<iq type='get' id='${id}' from='${SCRIPTED.domain}' to='${SCRIPTED.jid}'><ping xmlns='urn:xmpp:ping'/></iq>`,
    );
    await answered;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.server.close();
  }

  async #serveConnection(connection: number): Promise<void> {
    const next = () => this.server.next('stanzas', 60_000);
    const header = await next();
    void header;
    await this.server.write(
      `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s${connection}' from='${SCRIPTED.domain}' version='1.0' xml:lang='en'>` +
        `<stream:features><authentication xmlns='${NS_SASL2}'><mechanism>PLAIN</mechanism><inline>` +
        `<bind xmlns='${NS_BIND2}'><inline><feature var='${NS_SM}'/></inline></bind><sm xmlns='${NS_SM}'/></inline>` +
        `</authentication></stream:features>`,
    );
    const authenticate = await next();
    const resume = authenticate.getChild('resume', NS_SM);
    if (resume && this.behaviour.resume && this.#sessions > 0) {
      await this.server.write(
        `<success xmlns='${NS_SASL2}'><resumed xmlns='${NS_SM}' previd='${resume.attrs.previd}' h='${this.#inbound}'/>` +
          `<authorization-identifier>${SCRIPTED.jid}</authorization-identifier></success>`,
      );
    } else {
      this.#sessions++;
      this.#inbound = 0;
      await this.server.write(
        `<success xmlns='${NS_SASL2}'><bound xmlns='${NS_BIND2}'><enabled xmlns='${NS_SM}' resume='true' max='300' id='sm-${this.#sessions}'/></bound>` +
          `<authorization-identifier>${SCRIPTED.jid}</authorization-identifier></success>`,
      );
    }
    this.#logins++;
    for (const waiter of this.#loginWaiters.filter(({ count }) => count <= this.#logins)) {
      this.#loginWaiters.splice(this.#loginWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    void this.#answerAcks().catch(() => undefined);
    for (;;) {
      const stanza = await next();
      if (['iq', 'message', 'presence'].includes(stanza.name)) this.#inbound++;
      await this.#handle(stanza);
    }
  }

  async #answerAcks(): Promise<void> {
    for (;;) {
      const ack = await this.server.next('acks', 60_000);
      if (ack.name === 'r') await this.server.write(`<a xmlns='${NS_SM}' h='${this.#inbound}'/>`);
    }
  }

  async #handle(stanza: Element): Promise<void> {
    const to = String(stanza.attrs.to ?? '');
    if (stanza.name === 'message') {
      if (to === SCRIPTED.room && stanza.attrs.type === 'groupchat') {
        this.messages.push(stanza);
        if (this.behaviour.reflect) await this.reflect(stanza);
        else this.#unreflected.push(stanza);
      } else {
        this.requests.push(stanza);
      }
      return;
    }
    const barrier = this.#barriers.get(String(stanza.attrs.id));
    if (stanza.name === 'iq' && barrier && (stanza.attrs.type === 'result' || stanza.attrs.type === 'error')) {
      this.#barriers.delete(String(stanza.attrs.id));
      barrier();
      return;
    }
    this.requests.push(stanza);
    if (stanza.name === 'presence') {
      if (to.startsWith(`${SCRIPTED.room}/`) && stanza.attrs.type !== 'unavailable') {
        if (this.behaviour.answerJoins) await this.#joined(to);
        else this.#heldJoins.push(to);
      }
      return;
    }
    if (stanza.name !== 'iq' || (stanza.attrs.type !== 'get' && stanza.attrs.type !== 'set')) return;
    const answer = this.answers.find((candidate) => candidate.when(stanza));
    if (answer) {
      await this.server.write(answer.reply(stanza).replaceAll('{id}', String(stanza.attrs.id)));
      return;
    }
    const id = String(stanza.attrs.id);
    const reply = (children: string, type = 'result') =>
      this.server.write(
        `<iq type='${type}' id='${id}' from='${to || SCRIPTED.account}' to='${SCRIPTED.jid}'>${children}</iq>`,
      );
    const info = stanza.getChild('query', NS_DISCO_INFO);
    if (info && (to === SCRIPTED.service || to === SCRIPTED.room)) {
      const identity =
        to === SCRIPTED.service
          ? `<identity category='conference' type='text' name='Rooms'/><feature var='${NS_MUC}'/>`
          : `<identity category='conference' type='text' name='Room'/><feature var='${NS_MUC}'/><feature var='${NS_MAM}'/>` +
            `<feature var='urn:xmpp:occupant-id:0'/><feature var='urn:xmpp:sid:0'/><feature var='muc_public'/><feature var='muc_open'/>` +
            `<feature var='muc_persistent'/><feature var='muc_semianonymous'/>`;
      await reply(`<query xmlns='${NS_DISCO_INFO}'>${identity}</query>`);
      return;
    }
    const mam = stanza.getChild('query', NS_MAM);
    if (mam && to === SCRIPTED.room) {
      await this.#answerArchive(stanza, mam);
      return;
    }
    await reply(`<error type='cancel'><service-unavailable xmlns='${NS_STANZAS}'/></error>`, 'error');
  }

  /** The self-presence of a join: owner, moderator, with the room's occupant id. */
  async #joined(to: string): Promise<void> {
    await this.server.write(
      `<presence from='${to}' to='${SCRIPTED.jid}'><occupant-id xmlns='urn:xmpp:occupant-id:0' id='${SCRIPTED.occupantId}'/>` +
        `<x xmlns='${NS_MUC}#user'><item affiliation='owner' role='moderator' jid='${SCRIPTED.jid}'/>` +
        `<status code='110'/></x></presence>`,
    );
  }

  /** A page of the archive (XEP-0313 with XEP-0059): `after`, `before` (empty: the end), `max`. */
  async #answerArchive(iq: Element, query: Element): Promise<void> {
    const set = query.getChild('set', NS_RSM);
    const max = Number(set?.getChildText('max') ?? 50);
    const after = set?.getChildText('after') ?? undefined;
    const before = set?.getChild('before');
    const id = String(iq.attrs.id);
    let items = this.archive;
    if (after !== undefined) {
      const at = items.findIndex((item) => item.id === after);
      if (at === -1) {
        await this.server.write(
          `<iq type='error' id='${id}' from='${SCRIPTED.room}'><error type='cancel'><item-not-found xmlns='${NS_STANZAS}'/></error></iq>`,
        );
        return;
      }
      items = items.slice(at + 1);
    }
    const beforeId = before?.getText();
    if (beforeId)
      items = items.slice(
        0,
        Math.max(
          0,
          items.findIndex((item) => item.id === beforeId),
        ),
      );
    const page = before ? items.slice(Math.max(0, items.length - max)) : items.slice(0, max);
    const complete = before ? page.length === items.length : page.length === items.length;
    for (const item of page) {
      await this.server.write(
        `<message from='${SCRIPTED.room}' to='${SCRIPTED.jid}'><result xmlns='${NS_MAM}' queryid='${query.attrs.queryid}' id='${item.id}'>` +
          `<forwarded xmlns='${NS_FORWARD}'><delay xmlns='${NS_DELAY}' stamp='${item.stamp}'/>${item.message.toString()}</forwarded></result></message>`,
      );
    }
    const ids = page.length > 0 ? `<first>${page[0]!.id}</first><last>${page.at(-1)!.id}</last>` : '';
    await this.server.write(
      `<iq type='result' id='${id}' from='${SCRIPTED.room}' to='${SCRIPTED.jid}'><fin xmlns='${NS_MAM}' complete='${complete}'>` +
        `<set xmlns='${NS_RSM}'>${ids}<count>${this.archive.length}</count></set></fin></iq>`,
    );
  }
}

/** Elements in the order sent, each taken once. */
export class Queue {
  readonly #items: Element[] = [];
  readonly #waiting: Array<{ wants: (element: Element) => boolean; resolve: (element: Element) => void }> = [];

  push(element: Element): void {
    const index = this.#waiting.findIndex(({ wants }) => wants(element));
    if (index === -1) this.#items.push(element);
    else this.#waiting.splice(index, 1)[0]!.resolve(element);
  }

  /** What was sent and not yet taken. */
  get pending(): readonly Element[] {
    return this.#items;
  }

  /** Forgets what was not taken. */
  clear(): void {
    this.#items.splice(0);
  }

  /** The oldest element not yet taken, or the next to come. */
  next(): Promise<Element> {
    return this.take(() => true);
  }

  /** The oldest element not yet taken that `wants`, or the next such to come. */
  take(wants: (element: Element) => boolean): Promise<Element> {
    const index = this.#items.findIndex(wants);
    if (index !== -1) return Promise.resolve(this.#items.splice(index, 1)[0]!);
    return new Promise((resolve) => this.#waiting.push({ wants, resolve }));
  }
}
