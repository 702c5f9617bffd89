// The comparison as a Markdown table and as docs/benchmarks.md: machine, versions, method,
// figures with ratios, and the project's targets with what was measured.

import { SYSTEM_NAMES, VARIANT_NAMES } from './systems.mjs';

const TITLES = {
  xsync: 'xsync (ejabberd MUC)',
  'xsync-mix': 'xsync (ejabberd MIX)',
  'xsync-prosody': 'xsync (Prosody MUC)',
  'xsync-postgresql': 'xsync on PostgreSQL',
  'xsync-postgresql-async': 'xsync on PostgreSQL, synchronous_commit off',
  'y-websocket': 'y-websocket',
  hocuspocus: 'Hocuspocus',
};

/** The targets the project holds itself to: `check` returns [measured text, met?]. */
const TARGETS = [
  {
    text: 'delivered edit throughput to 50 clients ≥ 1.0× y-websocket',
    check: (r) => ratioTarget(r, 'throughput-50', (ratio) => ratio >= 1),
  },
  {
    text: 'p99 latency, 10 clients drawing at 60 Hz: ≤ 30 ms and ≤ 2× y-websocket',
    check: (r) => {
      const xsync = r.xsync?.['draw-p99']?.median;
      const ratio = ratioOf(r, 'draw-p99');
      return [`${xsync} ms, ${format(ratio)}× y-websocket`, xsync <= 30 && ratio <= 2];
    },
  },
  {
    text: 'p99 latency, 10 clients typing at 10 Hz ≤ 2× y-websocket',
    check: (r) => ratioTarget(r, 'type-p99', (ratio) => ratio <= 2),
  },
  {
    text: 'archive rows per second while one person draws at 60 Hz ≤ 4',
    check: (r) => [`${r.xsync?.['archive-rows']?.median} rows/s`, r.xsync?.['archive-rows']?.median <= 4],
  },
  {
    text: 'late join into a 100k-edit document ≤ 1.0× y-websocket',
    check: (r) => ratioTarget(r, 'latejoin-100000', (ratio) => ratio <= 1),
  },
  {
    text: 'reconnect to caught up (1,000 missed edits) ≤ 100 ms',
    check: (r) => [`${r.xsync?.reconnect?.median} ms`, r.xsync?.reconnect?.median <= 100],
  },
  { text: 'login ≤ 30 ms', check: (r) => [`${r.xsync?.login?.median} ms`, r.xsync?.login?.median <= 30] },
  {
    text: 'bytes per edit ≤ 4× y-websocket',
    check: (r) => ratioTarget(r, 'bytes-per-edit', (ratio) => ratio <= 4),
  },
];

function ratioOf(results, key, other = 'y-websocket', system = 'xsync') {
  const mine = results[system]?.[key]?.median;
  const theirs = results[other]?.[key]?.median;
  if (typeof mine !== 'number' || typeof theirs !== 'number' || theirs === 0) return NaN;
  return mine / theirs;
}

function ratioTarget(results, key, met) {
  const ratio = ratioOf(results, key);
  if (Number.isNaN(ratio)) return ['not measured in this run', false];
  return [`${format(ratio)}× y-websocket`, met(ratio)];
}

/** A figure for a table: whole from 100 up, two decimals below, a dash when not a number. */
export const format = (value) =>
  typeof value !== 'number' || Number.isNaN(value)
    ? '–'
    : value >= 100
      ? String(Math.round(value))
      : String(Math.round(value * 100) / 100);

function cell(summary) {
  if (!summary || summary.median === null) return '–';
  const spread = summary.runs > 1 ? ` (${format(summary.min)}–${format(summary.max)})` : '';
  return `${format(summary.median)}${spread}${summary.failed ? ' ✗' : ''}`;
}

export function renderReport({ quick, runs, machine, versions, workloads, results, seconds }) {
  const systems = [...SYSTEM_NAMES, ...VARIANT_NAMES].filter((name) => results[name]);
  const ratios = [
    ['xsync ÷ y-websocket', (key) => ratioOf(results, key)],
    ...(results['xsync-mix']
      ? [['MIX ÷ y-websocket', (key) => ratioOf(results, key, 'y-websocket', 'xsync-mix')]]
      : []),
    ...(results['xsync-prosody']
      ? [['Prosody ÷ y-websocket', (key) => ratioOf(results, key, 'y-websocket', 'xsync-prosody')]]
      : []),
    ['xsync ÷ Hocuspocus', (key) => ratioOf(results, key, 'hocuspocus')],
    ...(results['xsync-postgresql']
      ? [['PostgreSQL ÷ SQLite', (key) => ratioOf(results, key, 'xsync', 'xsync-postgresql')]]
      : []),
  ];
  const header = ['', ...systems.map((name) => TITLES[name]), ...ratios.map(([title]) => title)];
  const rows = workloads.map((workload) => [
    `${workload.label} (${workload.unit}, ${workload.better} is better)`,
    ...systems.map((name) => cell(results[name]?.[workload.key])),
    ...ratios.map(([, ratio]) => format(ratio(workload.key))),
  ]);
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const targets = TARGETS.map((target) => {
    const [measured, met] = target.check(results);
    return `| ${target.text} | ${measured} | ${met ? 'met' : 'not met'} |`;
  }).join('\n');
  const document = `# Benchmarks

xsync beside [y-websocket](https://github.com/yjs/y-websocket)'s reference server and
[Hocuspocus](https://tiptap.dev/docs/hocuspocus), the servers a Yjs user would pick instead:
the same workloads, seeds and checks, in one run on one machine. Produced by
\`npm run bench\` (\`test/bench/compare.mjs\`); \`npm run bench -- --quick\` runs a shorter
version${quick ? ' (this file is from such a run)' : ''}. The machine is shared and noisy: compare
the columns of one run, not absolute times across runs.

## Machine and versions

- ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, loopback only
- ${Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}
- ${runs === 1 ? 'one run per figure' : `median of ${runs} runs per figure (late join into 100k edits: one run), min–max in parentheses`}; ${seconds} s in all

## Method

- **Servers**: ejabberd and Prosody from Debian (versions above) with the project's
  configurations (MUC and MIX, MAM, stream management, no shaper) and xsync-bot, each in its
  own process, in each room kind: MUC rooms on ejabberd (\`xsync\`, the default), MIX
  channels on ejabberd, MUC rooms on Prosody. ejabberd's archive lives in SQLite in WAL mode
  (the embedded default) or in PostgreSQL from Debian with its default, durable settings
  (\`xsync on PostgreSQL\`, MUC rooms, the production option; a cluster of its own on
  loopback); Prosody's in SQLite. \`@y/websocket-server\` and \`@hocuspocus/server\` (in memory, no
  extensions) each run in a Node process of their own. All on 127.0.0.1.
- **Clients**: Node: xsync's \`XmppProvider\` over XMPP on TCP with the bot trusted for
  catch-up; y-websocket's \`WebsocketProvider\` and Hocuspocus's \`HocuspocusProvider\` over
  WebSocket. Each client has its own connection (and, for xsync, its own account). For
  throughput and latency the clients live in client processes (\`test/bench/clientHost.mjs\`)
  of at most 10 clients each, the writer of the throughput workload in one of its own; the
  other workloads run their few clients in the benchmark's process. Clients, servers and the
  bot share the machine's ${machine.cpus} cores, as the table's figures do.
- **Edits**: seeded (Mulberry32); each edit is its own Yjs transaction: a character inserted
  at a random place (typing) or a point appended to the writer's stroke (drawing). Each
  system sends edits as its client does: y-websocket and Hocuspocus one message per edit;
  xsync's provider, in a MUC room, one live message per event-loop turn and a commit to the
  archive 100 ms after the last edit or 300 ms after the first; in a MIX channel (no live
  lane) it merges edits made within 20 ms of the previous batch, with at most 4 batches
  awaiting the channel's reflection.
- **Archive rows**: one client draws at 60 Hz for ${quick ? '3' : '10'} s; the rows are the
  events a late reader then finds in the room's archive, per second of drawing.
- **Latency**: from the edit on the writer to the transaction that applies it on each other
  client, on the system-wide monotonic clock (comparable between processes); percentiles
  over all (edit, receiver) pairs.
- **Throughput**: one writer, N receivers. A discarded warm-up step at 200 edits/s, then the offered
  rate doubles from 200 edits/s, each step ${quick ? '1 s' : '2 s'}, until p99 exceeds 100 ms or
  fewer than 99% of the edits arrive, and the rate between the last step held and the first
  missed is tried; the figure is the highest rate held (25,600 edits/s at most).
- **Late join**: a writer makes the edits, another client confirms the server has them all,
  then a new client is timed from its first byte (xsync: login, join and catch-up from the bot;
  the others: WebSocket connect and sync) until it holds every edit.
- **Reconnect**: a client disconnects (xsync: closes its session), misses 1,000 edits and is
  timed from reconnecting until it holds them.
- **Bytes**: TCP payload bytes of all clients' sockets, sent and received, per edit made
  (10 clients typing at 10 Hz: each edit goes up once and down to 9 clients).
- **CPU and memory**: 2 clients, one writing at 500 edits/s; CPU seconds from /proc for each
  server's process tree (and the bot's, and PostgreSQL's), and for the benchmark's process
  (both clients), scaled to 10,000 edits; peak memory sampled every 100 ms as the sum of the
  process tree's proportional set sizes (PSS: pages shared between processes count once).
- **Isolation**: ${
    quick
      ? 'in quick runs such as this one, all workloads of a column share one system, warmed up with a second of typing first'
      : 'each workload starts its system afresh (servers, bot, database) and warms it up with a second of typing, so documents and rooms left by an earlier workload cost it nothing; its runs then follow one another on that system'
  }.
- **Correctness**: every run ends by checking that all clients hold identical documents
  (content and state vector); a run that does not converge is marked ✗ and fails its target.

What the figures mean, the reasons behind the targets not met and the server settings
chosen from them: [performance.md](performance.md).

## Results

${table}

## Targets

| target | measured | |
| --- | --- | --- |
${targets}
`;
  return { table, document };
}
