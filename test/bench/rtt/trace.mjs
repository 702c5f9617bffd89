// Traces of xsync reconnects at the delay proxy (its `tap`): the stream's top-level elements
// the client sent and received, with their times at the client and at the server. Untimed:
// not part of the figures.
import { performance } from 'node:perf_hooks';
import { reconnectOnce, reconnectRoom } from './paths.mjs';

/** Names the stream's top-level elements as they pass, chunk by chunk, for one direction. */
function elementNamer() {
  let depth = 0;
  let current;
  return (text) => {
    const names = [];
    for (const [, close, name, attrs, selfClose] of text.matchAll(/<(\/?)([^\s>/?!]+)([^>]*?)(\/?)>/g)) {
      if (name === 'stream:stream') {
        if (!close) names.push('stream header');
        continue;
      }
      if (close) {
        depth--;
        continue;
      }
      const xmlns = / xmlns=['"]([^'"]+)['"]/.exec(attrs)?.[1];
      const type = / type=['"]([^'"]+)['"]/.exec(attrs)?.[1];
      if (depth === 0) {
        current = { name, type, xmlns, children: [] };
        names.push(current);
      } else if (depth === 1 && current) current.children.push(xmlns ? `${name} ${xmlns}` : name);
      if (!selfClose) depth++;
    }
    return names.map((element) =>
      typeof element === 'string'
        ? element
        : `${element.name}${element.type ? ` type=${element.type}` : ''}${element.xmlns ? ` ${element.xmlns}` : ''}` +
          (element.children.length ? ` [${element.children.slice(0, 3).join(', ')}]` : ''),
    );
  };
}

/** `count` traced reconnects of one client through `proxy`; `setTap` sets the proxy's tap. */
export async function traceReconnects(system, proxy, count, setTap) {
  const state = await reconnectRoom(system, proxy);
  try {
    // Once to settle (the first FAST login follows the SCRAM one), then the traced ones.
    await reconnectOnce(system, state);
    const traces = [];
    for (let i = 0; i < count; i++) traces.push(await traceReconnect(system, state, setTap));
    return traces;
  } finally {
    setTap(undefined);
    await state.away.close();
    await state.writer.close();
  }
}

async function traceReconnect(system, state, setTap) {
  const lines = [];
  let started;
  const namers = { up: elementNamer(), down: elementNamer() };
  try {
    const result = await reconnectOnce(system, state, () => {
      started = performance.now();
      lines.push({ at: 0, direction: '·', what: 'reconnect() called; TCP connect to the proxy' });
      // Chunks pass the proxy whole and in order, so each one is known at both ends by identity.
      const serverTimes = new Map();
      setTap((event, chunk, at) => {
        const ms = Math.round(at - started);
        if (event === 'down-sent') serverTimes.set(chunk, ms);
        if (event === 'up-arrived') {
          const line = lines.find((candidate) => candidate.chunk === chunk);
          if (line) line.server = ms;
        }
        if (event !== 'up' && event !== 'down') return;
        const names = namers[event](String(chunk));
        lines.push({
          at: ms,
          chunk,
          server: serverTimes.get(chunk),
          direction: event === 'up' ? '→' : '←',
          what: names.length ? names.join('; ') : `${chunk.length} bytes`,
        });
        serverTimes.delete(chunk);
      });
    });
    setTap(undefined);
    lines.push({ at: Math.round(result.ms), direction: '·', what: 'document caught up' });
    return { ms: result.ms, login: result.login, lines };
  } finally {
    setTap(undefined);
  }
}

/** Prints a trace on the console, one line per chunk. */
export function printTrace(trace) {
  console.log(
    `\nOne xsync reconnect at 100 ms RTT (${trace.ms} ms; ${trace.login?.mechanism}: ${trace.login?.exchanges.join(', ')}), times at the client:`,
  );
  for (const line of trace.lines) {
    const server =
      line.server === undefined ? '' : ` (server: ${line.direction === '→' ? 'in' : 'out'} at ${line.server} ms)`;
    console.log(`${String(line.at).padStart(6)} ms ${line.direction} ${line.what}${server}`);
  }
}
