import { Socket, connect } from 'node:net';

/**
 * A hand-driven XMPP session over TCP (RFC 6120: SASL PLAIN on loopback, then bind) that
 * writes exactly the bytes a test gives it: what a hostile client sends, not what a library
 * would let through.
 */
export class RawSession {
  #received = '';
  /** Where the next {@link waitFor} starts looking. */
  #cursor = 0;
  #waiters: Array<() => void> = [];
  #closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#received += text;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
  }

  /** Signs in and binds a resource; resolves with the session's full JID. */
  static async open(options: { tcpUrl: string; domain: string; username: string; password: string }) {
    const url = new URL(options.tcpUrl);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const session = new RawSession(socket);
    const header = `<?xml version='1.0'?><stream:stream to='${options.domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
    session.write(header);
    await session.waitFor(/<\/stream:features>/);
    const plain = Buffer.from(`\u0000${options.username}\u0000${options.password}`).toString('base64');
    session.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
    await session.waitFor(/<success/);
    session.write(header);
    await session.waitFor(/<\/stream:features>/);
    session.write(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`);
    const jid = (await session.waitFor(/<jid>([^<]+)<\/jid>/))[1]!;
    session.write('<presence/>');
    return { session, jid };
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Whether the server has closed this stream or its socket. */
  get closed(): boolean {
    return this.#closed || this.#received.includes('</stream:stream>');
  }

  /** Everything received so far. */
  get received(): string {
    return this.#received;
  }

  /**
   * Resolves with the first match of `pattern` after the previous match, or rejects at the
   * deadline or when the stream closes first.
   */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#received.slice(this.#cursor));
      if (match) {
        this.#cursor += match.index + match[0].length;
        return match;
      }
      if (this.#closed) throw new Error(`Stream closed while waiting for ${pattern}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${pattern}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closes the stream, or the deadline passes. */
  async waitForClose(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
