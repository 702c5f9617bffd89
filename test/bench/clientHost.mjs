// A process holding some of a workload's clients, driven by hosts.mjs over IPC, so clients
// do not share one event loop with each other and the harness: a workload then measures
// the servers, not one Node process's limits. Times are on the system-wide monotonic clock.
import { connectClient } from './clients.mjs';
import { digestOf, edit, nextEditKey, now, onRemoteEdits, random, sleep } from './edits.mjs';

/** This host's clients, in order, each with the remote edits it applied: [key, time]. */
const clients = [];
let recording = false;

const commands = {
  /** Connects `count` clients to `room`, one after another (as people arrive). */
  async open({ endpoint, room, count }) {
    for (let i = 0; i < count; i++) {
      const client = await connectClient(endpoint, room);
      const entry = { client, received: [] };
      onRemoteEdits(client.doc, (key) => {
        if (recording) entry.received.push([key, now()]);
      });
      clients.push(entry);
    }
    return clients.length;
  },

  /** Starts noting remote edits, forgetting earlier ones. */
  record() {
    for (const entry of clients) entry.received = [];
    recording = true;
  },

  /** The remote edits noted since `record`, all clients together. */
  received() {
    return clients.flatMap((entry) => entry.received);
  },

  /**
   * Every client of this host makes `hz` edits per second for `seconds`, paced by the clock
   * from `startAt`; writer `firstIndex + i` of `writers` is offset so writers interleave.
   * Returns when each edit was made: [key, time].
   */
  async pace({ kind, hz, seconds, seed, startAt, firstIndex, writers }) {
    const sent = [];
    await Promise.all(
      clients.map(async ({ client }, i) => {
        const index = firstIndex + i;
        const rng = random(seed + index);
        for (let n = 0; n < hz * seconds; n++) {
          // A late timer catches up at once, as a busy page would.
          const wait = startAt + (n * 1000) / hz + (index * 1000) / hz / writers - now();
          if (wait > 1) await sleep(wait);
          sent.push([nextEditKey(client.doc), now()]);
          edit(client.doc, kind, rng);
        }
      }),
    );
    return sent;
  },

  /** The first client makes `rate` edits per second for `seconds`, in ticks of at least 1 ms. */
  async burst({ rate, seconds, seed }) {
    const { doc } = clients[0].client;
    const rng = random(seed);
    const sent = [];
    const total = Math.round(rate * seconds);
    const startAt = now();
    for (let n = 0; n < total;) {
      // Yield every tick even when behind: a client sends from the event loop, and a loop
      // that never yields would hold every edit back until the step ends.
      await sleep(Math.max(1, startAt + (n * 1000) / rate - now()));
      const upTo = Math.min(total, Math.floor(((now() - startAt) / 1000) * rate) + 1);
      for (; n < upTo; n++) {
        sent.push([nextEditKey(doc), now()]);
        edit(doc, 'type', rng);
      }
    }
    return sent;
  },

  digests() {
    return clients.map(({ client }) => digestOf(client.doc));
  },

  /** Bytes all clients of this host sent and received. */
  wire() {
    return clients.reduce(
      (sum, { client }) => {
        const { sent, received } = client.wire();
        return { sent: sum.sent + sent, received: sum.received + received };
      },
      { sent: 0, received: 0 },
    );
  },

  async close() {
    for (const { client } of clients.splice(0)) await client.close();
  },
};

process.on('message', async ({ id, command, args }) => {
  try {
    process.send({ id, result: await commands[command](args) });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
// The harness ends the host by closing the IPC channel.
process.on('disconnect', () => process.exit(0));
