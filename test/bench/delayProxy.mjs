// A TCP proxy on 127.0.0.1 that emulates a slow link in front of a server: every chunk waits
// half the round-trip time in each direction, in order, chunk by chunk, with no bandwidth cap.
// Raw bytes only, so it carries XMPP over TCP and WebSocket (the HTTP upgrade is just bytes)
// alike. Closing either side closes the other, after what was in flight before it.
//
//   const proxy = await startDelayProxy({ target: { host: '127.0.0.1', port }, rttMs: 100 });
//   // connect to 127.0.0.1:proxy.port instead of the target
//   await proxy.stop();
//
// TCP set-up: the client's handshake with the proxy happens on loopback and costs nothing,
// while over a real link a client's first bytes leave only after SYN and SYN-ACK (one round
// trip) and then take half a round trip to arrive. So the client-to-server direction holds
// everything until one RTT after the connection was accepted, and only then starts each
// chunk's one-way delay: the client's first bytes reach the server 1.5 RTT after it called
// connect(), as they would over the real link. The server's first bytes (after those) are
// then half an RTT away from the client as usual. Every system opens one TCP connection per
// (re)connect, so each one pays this once.
//
// A dropped link: `cut()` resets every connection through the proxy (RST on both sides, no
// protocol close, whatever was in flight lost). `hold()` makes new connections wait, accepted
// but with nothing passed on, until `release()`, which lets them go on as if accepted at
// that moment (one RTT of TCP set-up from then): so a client that reconnects at once still
// misses what happens in between, and the time of the release is when the link came back.
//
// `tap(event, bytes, at)`, when given, sees each chunk at both ends of the emulated link
// (performance.now()): `up` when the client sent it and `up-arrived` when it reached the
// server; `down-sent` when the server sent it and `down` when it reached the client. For
// traces of what a login sends and waits for, and of how long the server took to answer.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A one-way, delaying pipe from `from` to `to`: chunks leave `delayMs` after they arrived, or
 * after `notBefore` (a performance.now() time) if later, in the order they arrived.
 */
function delayedPipe(from, to, delayMs, notBefore, onDeliver, onEnd) {
  const queue = [];
  let timer;
  let ended = false;
  const flush = () => {
    timer = undefined;
    const at = performance.now();
    while (queue.length && queue[0].due <= at) {
      const { chunk } = queue.shift();
      if (chunk === null) {
        onEnd();
        return;
      }
      if (!to.destroyed) to.write(chunk);
      onDeliver?.(chunk);
    }
    if (queue.length) timer = setTimeout(flush, Math.max(0, queue[0].due - performance.now()));
  };
  const push = (chunk) => {
    const due = Math.max(performance.now(), notBefore) + delayMs;
    queue.push({ chunk, due });
    if (timer === undefined) {
      // No delay at all (0 ms RTT): pass it on now, as a plain proxy would.
      if (due <= performance.now()) flush();
      else timer = setTimeout(flush, due - performance.now());
    }
  };
  from.on('data', (chunk) => push(chunk));
  from.on('end', () => {
    if (ended) return;
    ended = true;
    push(null);
  });
  return {
    stop() {
      clearTimeout(timer);
      timer = undefined;
      queue.length = 0;
    },
  };
}

/** Starts the proxy; resolves once it listens on a free port of 127.0.0.1. */
export function startDelayProxy({ target, rttMs, tap }) {
  const oneWay = rttMs / 2;
  const links = new Set();
  /** Connections accepted while the proxy holds: their bytes wait, no upstream yet. */
  const waiting = new Set();
  let holding = false;
  /** performance.now() of each connection's arrival, for `arrivals`. */
  const arrivals = [];
  /** Links a client connection to the target, as if the client's TCP handshake ended at `accepted`. */
  const open = (client, accepted) => {
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    upstream.setNoDelay(true);
    const link = { client, upstream, pipes: [] };
    links.add(link);
    const close = () => {
      for (const pipe of link.pipes) pipe.stop();
      client.destroy();
      upstream.destroy();
      links.delete(link);
    };
    // A side that ends (FIN) ends the other once what it sent before has arrived; a side
    // that errs or closes takes the other down at once.
    const endOf = (socket) => () => {
      socket.end();
      if (client.readableEnded && upstream.readableEnded) close();
    };
    if (tap) {
      client.on('data', (chunk) => tap('up', chunk, performance.now()));
      upstream.on('data', (chunk) => tap('down-sent', chunk, performance.now()));
    }
    const tapOf = (event) => tap && ((chunk) => tap(event, chunk, performance.now()));
    link.pipes.push(
      delayedPipe(client, upstream, oneWay, accepted + rttMs, tapOf('up-arrived'), endOf(upstream)),
      delayedPipe(upstream, client, oneWay, 0, tapOf('down'), endOf(client)),
    );
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', () => {
        // Let a FIN already queued travel; a reset (or both sides done) ends the link.
        if (!socket.readableEnded || !socket.writableEnded) close();
      });
    }
  };
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const accepted = performance.now();
    arrivals.push(accepted);
    client.setNoDelay(true);
    if (!holding) {
      open(client, accepted);
      return;
    }
    // Held: nothing reads the socket (its bytes wait in the kernel) until release().
    const drop = () => {
      waiting.delete(client);
      client.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    waiting.add(client);
    client.held = { drop };
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        rttMs,
        /** performance.now() of every connection the proxy accepted, in order. */
        arrivals,
        /**
         * Cuts every open connection: both of its sockets are reset (TCP RST), with no
         * close of any protocol and nothing in flight delivered. Returns how many were cut.
         */
        cut() {
          const count = links.size;
          for (const link of [...links]) {
            for (const pipe of link.pipes) pipe.stop();
            for (const socket of [link.client, link.upstream]) {
              if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
              else socket.destroy();
            }
            links.delete(link);
          }
          return count;
        },
        /** From now on, new connections are accepted but wait: no bytes pass until release(). */
        hold() {
          holding = true;
        },
        /**
         * Lets the link through again; returns the time (performance.now()) it did. Waiting
         * connections go on as if accepted now: their bytes, sent while held, leave one RTT
         * later (the handshake) like those of a connection made at this moment.
         */
        release() {
          holding = false;
          const at = performance.now();
          for (const client of [...waiting]) {
            waiting.delete(client);
            client.off('error', client.held.drop);
            client.off('close', client.held.drop);
            open(client, at);
          }
          return at;
        },
        /** Closes the listener and every connection through it. */
        stop: () =>
          new Promise((done) => {
            holding = false;
            for (const client of [...waiting]) client.destroy();
            waiting.clear();
            for (const link of [...links]) {
              for (const pipe of link.pipes) pipe.stop();
              link.client.destroy();
              link.upstream.destroy();
              links.delete(link);
            }
            server.close(() => done());
          }),
      });
    });
  });
}
