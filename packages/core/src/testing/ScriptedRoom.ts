import { type Element, xml } from '../xml/index.js';
import { ScriptedServer } from './ScriptedServer.js';

// The server side of a client vector (docs/protocol.md §15): a loopback XMPP server holding
// one room, a MUC room or a MIX channel, enough of one for a client to log in, join, read the
// archive, and publish.

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

const NS_MIX = 'urn:xmpp:mix:core:1';
const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';

/** Addresses of the scripted world, as the other vector files name them. */
export const SCRIPTED = {
  domain: 'example',
  /** The client under test: its account, resource, nick, occupant id and MIX participant id. */
  account: 'bob@example',
  jid: 'bob@example/web',
  nick: 'bob',
  occupantId: 'occ-bob',
  participantId: 'p-bob',
  password: 'bob-password',
} as const;

/** The room of each kind and its service. */
export const SCRIPTED_ROOMS = {
  muc: { room: 'room@muc.example', service: 'muc.example' },
  mix: { room: 'channel@mix.example', service: 'mix.example' },
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
  readonly #heldJoins: Element[] = [];
  readonly #loginWaiters: Array<{ count: number; resolve: () => void }> = [];
  #sessions = 0;
  #nextArchiveId = 1;
  #closed = false;

  readonly kind: 'muc' | 'mix';
  /** The room's JID. */
  readonly room: string;
  readonly #service: string;

  private constructor(server: ScriptedServer, kind: 'muc' | 'mix') {
    this.server = server;
    this.kind = kind;
    this.room = SCRIPTED_ROOMS[kind].room;
    this.#service = SCRIPTED_ROOMS[kind].service;
  }

  static async listen(kind: 'muc' | 'mix' = 'muc'): Promise<ScriptedRoom> {
    return new ScriptedRoom(await ScriptedServer.listen(), kind);
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
    // A MUC room's archive id is its `stanza-id`, a MIX channel's the message's id ([ID1]).
    const stamped = this.kind === 'mix' ? message.attrs.id : message.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.id;
    const id = String(stamped ?? `A${this.#nextArchiveId}`);
    this.archive.push({ id, message, stamp });
    this.#nextArchiveId = this.archive.length + 1;
    return id;
  }

  /** Sends `text` to the client. */
  deliver(text: string): Promise<void> {
    return this.server.write(text);
  }

  /**
   * The room relays a message the client published: stamped, archived when durable, sent back.
   * A MUC room stamps an occupant id and a `stanza-id`; a MIX channel archives everything,
   * makes the archive id the message's id, and names the submission in the sender's copy.
   */
  async reflect(message: Element): Promise<void> {
    const id = `A${this.#nextArchiveId}`;
    const children = message.children.filter((child): child is Element => typeof child !== 'string');
    let copy: Element;
    let durable = true;
    if (this.kind === 'mix') {
      const stamp = () =>
        xml('mix', { xmlns: NS_MIX }, xml('nick', {}, SCRIPTED.nick), xml('jid', {}, SCRIPTED.account));
      const own = stamp();
      own.append(xml('submission-id', {}, String(message.attrs.id)));
      copy = xml(
        'message',
        { type: 'groupchat', id, from: `${this.room}/${SCRIPTED.participantId}`, to: SCRIPTED.account },
        ...children,
        own,
      );
      this.archive.push({
        id,
        message: xml('message', { ...copy.attrs }, ...children, stamp()),
        stamp: '2026-01-01T00:00:00Z',
      });
    } else {
      copy = xml('message', { ...message.attrs, from: `${this.room}/${SCRIPTED.nick}`, to: SCRIPTED.jid }, ...children);
      copy.append(xml('occupant-id', { xmlns: 'urn:xmpp:occupant-id:0', id: SCRIPTED.occupantId }));
      durable = !message.getChild('no-store', 'urn:xmpp:hints');
      if (durable) {
        copy.append(xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: this.room, id }));
        this.archive.push({ id, message: copy, stamp: '2026-01-01T00:00:00Z' });
      }
    }
    if (durable) this.#nextArchiveId++;
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
    for (const request of this.#heldJoins.splice(0)) await this.#answerJoin(request);
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
      if (to === this.room && stanza.attrs.type === 'groupchat') {
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
      if (to.startsWith(`${this.room}/`) && stanza.attrs.type !== 'unavailable') await this.#join(stanza);
      return;
    }
    if (this.kind === 'mix' && stanza.name === 'iq' && stanza.getChild('client-join', 'urn:xmpp:mix:pam:2')) {
      await this.#join(stanza);
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
    if (info && (to === this.#service || to === this.room)) {
      const features =
        this.kind === 'mix'
          ? `<identity category='conference' type='mix'/><feature var='${NS_MIX}'/><feature var='${NS_MAM}'/>`
          : `<identity category='conference' type='text'/><feature var='${NS_MUC}'/><feature var='${NS_MAM}'/>` +
            `<feature var='urn:xmpp:occupant-id:0'/><feature var='urn:xmpp:sid:0'/>`;
      await reply(`<query xmlns='${NS_DISCO_INFO}'>${features}</query>`);
      return;
    }
    if (this.kind === 'mix' && to === this.room && stanza.getChild('pubsub', NS_PUBSUB)) {
      await reply(
        `<pubsub xmlns='${NS_PUBSUB}'><items node='urn:xmpp:mix:nodes:participants'><item id='${SCRIPTED.participantId}'>` +
          `<participant xmlns='${NS_MIX}'><nick>${SCRIPTED.nick}</nick><jid>${SCRIPTED.account}</jid></participant></item></items></pubsub>`,
      );
      return;
    }
    const mam = stanza.getChild('query', NS_MAM);
    if (mam && to === this.room) {
      await this.#answerArchive(stanza, mam);
      return;
    }
    await reply(`<error type='cancel'><service-unavailable xmlns='${NS_STANZAS}'/></error>`, 'error');
  }

  /** A join: answered at once, or held back while `behaviour.answerJoins` is off. */
  async #join(request: Element): Promise<void> {
    if (this.behaviour.answerJoins) await this.#answerJoin(request);
    else this.#heldJoins.push(request);
  }

  /**
   * A MUC join's answer is the self-presence (owner, moderator, with the room's occupant id);
   * a MIX join's the `<client-join/>` result with the participant id.
   */
  async #answerJoin(request: Element): Promise<void> {
    if (request.name === 'presence') {
      await this.server.write(
        `<presence from='${String(request.attrs.to)}' to='${SCRIPTED.jid}'><occupant-id xmlns='urn:xmpp:occupant-id:0' id='${SCRIPTED.occupantId}'/>` +
          `<x xmlns='${NS_MUC}#user'><item affiliation='owner' role='moderator' jid='${SCRIPTED.jid}'/>` +
          `<status code='110'/></x></presence>`,
      );
      return;
    }
    await this.server.write(
      `<iq type='result' id='${String(request.attrs.id)}' from='${SCRIPTED.account}' to='${SCRIPTED.jid}'>` +
        `<client-join xmlns='urn:xmpp:mix:pam:2'><join xmlns='${NS_MIX}' id='${SCRIPTED.participantId}'><nick>${SCRIPTED.nick}</nick></join></client-join></iq>`,
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
          `<iq type='error' id='${id}' from='${this.room}'><error type='cancel'><item-not-found xmlns='${NS_STANZAS}'/></error></iq>`,
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
        `<message from='${this.room}' to='${SCRIPTED.jid}'><result xmlns='${NS_MAM}' queryid='${query.attrs.queryid}' id='${item.id}'>` +
          `<forwarded xmlns='${NS_FORWARD}'><delay xmlns='${NS_DELAY}' stamp='${item.stamp}'/>${item.message.toString()}</forwarded></result></message>`,
      );
    }
    const ids = page.length > 0 ? `<first>${page[0]!.id}</first><last>${page.at(-1)!.id}</last>` : '';
    await this.server.write(
      `<iq type='result' id='${id}' from='${this.room}' to='${SCRIPTED.jid}'><fin xmlns='${NS_MAM}' complete='${complete}'>` +
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
