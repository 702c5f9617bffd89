// @ts-expect-error xmpp.js ships no types for its transport internals
import ConnectionWebSocket from '@xmpp/websocket/lib/Connection.js';
// @ts-expect-error xmpp.js ships no types for its transport internals
import XmppWebSocketSocket, { isSecure } from '@xmpp/websocket/lib/Socket.js';

interface XmppSocket {
  url: string;
  secure: boolean;
  _attachSocket(socket: unknown): void;
}

/** A WebSocket constructor as browsers and the `ws` package provide. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

/**
 * xmpp.js's WebSocket transport opens `globalThis.WebSocket`, which Node 20 lacks. This
 * returns the same transport bound to a given constructor (e.g. `ws`), without touching globals.
 */
export function webSocketTransportFor(WebSocketImpl: WebSocketConstructor): unknown {
  class BoundSocket extends (XmppWebSocketSocket as new () => XmppSocket) {
    connect(url: string): void {
      this.url = url;
      this.secure = isSecure(url);
      this._attachSocket(new WebSocketImpl(url, ['xmpp']));
    }
  }
  class BoundConnection extends (ConnectionWebSocket as new () => object) {}
  (BoundConnection.prototype as { Socket?: unknown }).Socket = BoundSocket;
  return BoundConnection;
}

/** The transport class xmpp.js registers for WebSocket services. */
export const DefaultWebSocketTransport: unknown = ConnectionWebSocket;
