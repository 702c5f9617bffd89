import { type Server, type Socket, createServer } from 'node:net';
import { Parser } from '@xmpp/xml';
import type { Element } from '../xml/index.js';

const NS_SM = 'urn:xmpp:sm:3';

// Taken before any test fakes the clock: the script waits in real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

type Waiter = { resolve: (element: Element) => void; reject: (error: Error) => void };

/** What the client has sent on one TCP connection and not yet been read. */
class ClientOutput {
  /** Elements, the stream header first, in the order sent; stream management's `<r/>` and `<a/>` apart. */
  readonly #queues = { stanzas: [] as Element[], acks: [] as Element[] };
  readonly #waiting = { stanzas: [] as Waiter[], acks: [] as Waiter[] };
  #ended = false;

  push(element: Element): void {
    const kind = element.attrs.xmlns === NS_SM && (element.name === 'r' || element.name === 'a') ? 'acks' : 'stanzas';
    const waiter = this.#waiting[kind].shift();
    if (waiter) waiter.resolve(element);
    else this.#queues[kind].push(element);
  }

  next(kind: 'stanzas' | 'acks'): Promise<Element> {
    const element = this.#queues[kind].shift();
    if (element) return Promise.resolve(element);
    if (this.#ended) return Promise.reject(new Error('the connection has ended'));
    return new Promise((resolve, reject) => this.#waiting[kind].push({ resolve, reject }));
  }

  /** The connection is gone: whoever waits for more from it learns so. */
  end(): void {
    this.#ended = true;
    for (const waiter of [...this.#waiting.stanzas.splice(0), ...this.#waiting.acks.splice(0)]) {
      waiter.reject(new Error('the connection has ended'));
    }
  }
}

/**
 * The server side of a session vector (docs/protocol.md §15): a TCP listener on loopback that
 * writes what the vector's server says and hands over, in order, what the client sends. It
 * checks nothing itself; a client that closes its stream gets the closing tag back.
 */
export class ScriptedServer {
  readonly #server: Server;
  #socket: Socket | undefined;
  #output = new ClientOutput();
  #connected: Array<() => void> = [];
  /** TCP connections the client has opened so far. */
  connections = 0;

  private constructor(server: Server) {
    this.#server = server;
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Listens on 127.0.0.1, on a free port. */
  static async listen(): Promise<ScriptedServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ScriptedServer(server);
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  #accept(socket: Socket): void {
    this.#socket?.destroy();
    // Whoever waited before the first connection reads it; a later one ends the one before.
    if (this.connections > 0) {
      this.#output.end();
      this.#output = new ClientOutput();
    }
    this.#socket = socket;
    this.connections++;
    socket.setNoDelay(true);
    const output = this.#output;
    const parser = new Parser();
    parser.on('start', (header: Element) => output.push(header));
    parser.on('element', (element: Element) => output.push(element));
    parser.on('end', () => socket.end('</stream:stream>'));
    parser.on('error', () => socket.destroy());
    socket.on('close', () => output.end());
    // Bytes, as they come: the parser decodes them as one UTF-8 stream.
    const decoder = new TextDecoder();
    socket.on('data', (data: Buffer) => parser.write(decoder.decode(data, { stream: true })));
    socket.on('error', () => undefined);
    for (const resolve of this.#connected.splice(0)) resolve();
  }

  /** Resolves once the client has opened its `count`th connection. */
  async connection(count: number): Promise<void> {
    while (this.connections < count) await new Promise<void>((resolve) => this.#connected.push(resolve));
  }

  /**
   * The next element the client sent on the current connection: its stream header first, then
   * its stanzas and nonzas; `acks` reads stream management's `<r/>` and `<a/>`, which are sent
   * whenever the client's own timing says and so are kept apart.
   */
  next(kind: 'stanzas' | 'acks', timeout: number): Promise<Element> {
    return new Promise((resolve, reject) => {
      const timer = realSetTimeout(
        () => reject(new Error(`the client sent nothing more within ${timeout} ms`)),
        timeout,
      );
      this.#output.next(kind).then(
        (element) => {
          realClearTimeout(timer);
          resolve(element);
        },
        (error: Error) => {
          realClearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Writes to the current connection, and resolves once the bytes are handed to the socket. */
  write(data: string | Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket) throw new Error('no client is connected');
    return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** Ends the current connection without closing the stream, as a lost network does. */
  drop(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#output.end();
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
