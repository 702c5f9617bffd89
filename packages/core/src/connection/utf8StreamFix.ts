import type { Client } from '@xmpp/client';

interface DataReceiver {
  _onData(data: unknown): void;
  parser: { write(text: string): void } | null;
  on(event: 'connect', listener: () => void): void;
}

/**
 * Works around @xmpp/connection 0.14 decoding every TCP read on its own
 * (`data.toString('utf8')`): a multi-byte character split between two reads turned into
 * U+FFFD, silently corrupting any non-ASCII text large enough to span reads. A streaming
 * decoder keeps the partial bytes for the next read; each new socket gets a fresh one.
 * WebSocket frames arrive whole, as strings, and pass through.
 */
export function decodeUtf8AcrossReads(xmpp: Client): void {
  const receiver = xmpp as unknown as DataReceiver;
  let decoder = new TextDecoder('utf-8');
  receiver.on('connect', () => {
    decoder = new TextDecoder('utf-8');
  });
  // Replaced before the first socket is attached, which binds this method as its listener.
  receiver._onData = function (this: DataReceiver, data: unknown) {
    const text = typeof data === 'string' ? data : decoder.decode(data as Uint8Array, { stream: true });
    this.parser?.write(text);
  };
}
