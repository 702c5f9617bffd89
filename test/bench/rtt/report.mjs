// rtt.mjs's report: the table (ms and round trips per path, RTT and system, with ratios), the
// project's targets, and its own section of docs/benchmarks.md (test-results/rtt-quick.md in
// quick runs) between the markers below, replaced on each run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as prettier from 'prettier';
import { format } from '../report.mjs';
import { FAST_MECHANISM, RECONNECT_DELAYS, SYSTEMS, TITLES } from './clients.mjs';
import { EDITS, PATHS, RECONNECT_WAIT_MS } from './paths.mjs';

const BEGIN = '<!-- rtt.mjs: begin -->';
const END = '<!-- rtt.mjs: end -->';

const cell = (summary) =>
  summary
    ? `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})${summary.failed ? ' ✗' : ''}`
    : '–';

/** The table and the targets (Markdown rows) of `results` (system → RTT → path → summary), and the round trips. */
export function renderTable(results, rtts) {
  const ratio = (path, rttMs, other) => results.xsync[rttMs][path].median / results[other][rttMs][path].median;
  const roundTrips = (name, path) =>
    Math.round((results[name][100][path].median - results[name][0][path].median) / 10) / 10;
  const header = ['', 'RTT', ...SYSTEMS.map((name) => TITLES[name]), 'xsync ÷ y-websocket', 'xsync ÷ Hocuspocus'];
  const rows = [];
  const roundTripFigures = {};
  for (const [path, label] of Object.entries(PATHS)) {
    for (const rttMs of rtts) {
      rows.push([
        `${label} (ms)`,
        `${rttMs} ms`,
        ...SYSTEMS.map((name) => cell(results[name][rttMs][path])),
        format(ratio(path, rttMs, 'y-websocket')),
        format(ratio(path, rttMs, 'hocuspocus')),
      ]);
    }
    roundTripFigures[path] = Object.fromEntries(SYSTEMS.map((name) => [name, roundTrips(name, path)]));
    rows.push([
      `${label}: round trips`,
      '(100 − 0) / 100',
      ...SYSTEMS.map((name) => String(roundTripFigures[path][name])),
      format(roundTripFigures[path].xsync / roundTripFigures[path]['y-websocket']),
      format(roundTripFigures[path].xsync / roundTripFigures[path].hocuspocus),
    ]);
  }
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const targets = [
    ['reconnect to caught up at 100 ms RTT ≤ 1.0× y-websocket', ratio('reconnect', 100, 'y-websocket'), 1],
    ['first login to a synced document at 100 ms RTT ≤ 1.5× y-websocket', ratio('login', 100, 'y-websocket'), 1.5],
  ]
    .map(
      ([text, value, limit]) => `| ${text} | ${format(value)}× y-websocket | ${value <= limit ? 'met' : 'not met'} |`,
    )
    .join('\n');
  return { table, targets, roundTrips: roundTripFigures };
}

/** The section for docs/benchmarks.md: how the figures were made, then the table and the targets. */
export function renderSection({ runs, rtts, seconds, versions, reconnects, logins, table, targets }) {
  return `${BEGIN}

## Login, reconnect and a dropped link over a slow link

Produced by \`node test/bench/rtt.mjs\` (also part of \`npm run bench\`), ${runs} runs per figure
(median, min–max in parentheses), ${seconds} s in all, on the machine above: ${cpus().length} shared,
noisy cores, so figures at 0 ms move by several milliseconds from run to run, and a slow
moment of the server or the client adds tens of milliseconds to a run at any RTT (the
min–max shows it). ${Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}.

- **Link**: the measured client reaches its server through a TCP proxy on loopback
  (\`test/bench/delayProxy.mjs\`) that holds every chunk for half the round-trip time in each
  direction, in order, with TCP_NODELAY on both sides and no bandwidth cap. The proxy's own
  TCP handshake is on loopback, so it holds the client's bytes for one more RTT after
  accepting the connection, as a real handshake would before the client's first bytes could
  leave; every system opens exactly one TCP connection per connect or reconnect, so each pays
  that once. The 0 ms row goes through the same proxy with no delay. Everything else (the
  writer, the observer confirming the server holds the edits, xsync-bot) uses the direct link.
- **First login**: a room holds ${EDITS} edits made beforehand by a writer; a fresh client (xsync:
  a new account, registered through the admin API before the clock starts, so it logs in with
  SCRAM, with Bind2 and stream management inline in SASL2; its provider starts while the
  connection logs in, so the room's join and the bot's catch-up leave behind SCRAM's last
  message, protocol SES12) is timed from its start until its document equals the writer's.
- **Reconnect**: a connected client disconnects (xsync: closes its session), the writer makes
  ${EDITS} edits, a new client over the direct link confirms the server holds them, and the
  client is timed from reconnecting until it holds them (xsync: a new session, logging in with
  the FAST token kept from its earlier login, \`${FAST_MECHANISM}\`, checked on every run,
  the join and the catch-up behind it).
- **Dropped link, within the resumption window**: a connected client that reconnects on
  its own has its connection cut: the proxy resets both of its sockets (TCP RST to the client
  and to the server, no XMPP or WebSocket close, whatever was in flight lost), and from then
  holds new connections: it accepts them but passes nothing on. Meanwhile the writer makes
  ${EDITS} edits and a new client over the direct link confirms the server holds them. Once
  that is done and the client's new connection is waiting at the proxy (at most
  ${RECONNECT_WAIT_MS / 1000} s, else without it), the proxy lets the link through, and the
  client is **timed from that release until it holds all the edits**. The waiting connection
  goes on as if accepted at the release: its first bytes leave one RTT later (the TCP
  set-up), as those of a connection made then would. Each system recovers its own way:
  xsync's \`Connection\` (\`reconnect\` on, its default) opens a new socket and resumes the
  XMPP stream (XEP-0198) inside a FAST SASL2 authentication, and the server replays the
  stanzas the client missed, so the provider needs no catch-up (checked on every run:
  \`connection.login.resumed\`, exchanges \`stream+authenticate\` only); y-websocket's and
  Hocuspocus's providers open a new WebSocket and sync.
  - Reconnect waits, set as small as the options allow (the figure is the protocol's, not a
    timer's; none keeps a minimum):
${Object.entries(RECONNECT_DELAYS)
  .map(([name, text]) => `    - ${TITLES[name]}: ${text}.`)
  .join('\n')}
  - Not in the figures: the time from the cut to the client's new connection at the proxy
    (median, max over all RTTs; this process is busy making the edits then):
    ${SYSTEMS.map(
      (name) => `${TITLES[name]} ${format(reconnects[name].median)} ms (${format(reconnects[name].max)})`,
    ).join(', ')}. ${
      SYSTEMS.every((name) => reconnects[name].waiting === reconnects[name].runs)
        ? 'Every client was waiting at the release'
        : `Clients waiting at the release: ${SYSTEMS.map(
            (name) => `${TITLES[name]} ${reconnects[name].waiting} of ${reconnects[name].runs} runs`,
          ).join(', ')} (a run without counts the rest of its wait)`
    }, ${
      SYSTEMS.every((name) => reconnects[name].oneConnection === reconnects[name].runs)
        ? 'each with one new connection'
        : `with one new connection in ${SYSTEMS.map((name) => `${reconnects[name].oneConnection} (${TITLES[name]})`).join(', ')} of ${runs * rtts.length}`
    }.
- **Round trips**: (median at 100 ms − median at 0 ms) / 100 ms, TCP set-up included.
- xsync sessions seen: first login ${logins.login?.map((text) => `\`${text}\``).join(', ')}; reconnect
  ${logins.reconnect?.map((text) => `\`${text}\``).join(', ')}; dropped link ${logins.drop?.map((text) => `\`${text}\``).join(', ')}
  (mechanism: exchanges of the login, and its round trips as \`connection.login\` counts them, TCP
  not included; the application's stanzas that left with the login, SES12).

${table}

| target | measured | |
| --- | --- | --- |
${targets}

${END}
`;
}

/** Replaces the section in docs/benchmarks.md, formatted as the repository's lint expects; in quick runs writes test-results/rtt-quick.md instead. */
export async function writeSection(section, quick) {
  if (!quick) {
    // A section of docs/benchmarks.md of its own, replaced on each run (compare.mjs rewrites the
    // file; npm run bench runs this suite after it).
    const file = new URL('../../../docs/benchmarks.md', import.meta.url);
    let document;
    try {
      document = readFileSync(file, 'utf8');
    } catch {
      document = '# Benchmarks\n';
    }
    const at = document.indexOf(BEGIN);
    const end = document.indexOf(END);
    document =
      at >= 0 && end > at
        ? `${document.slice(0, at)}${section}${document.slice(end + END.length).replace(/^\n+/, '\n')}`
        : `${document.trimEnd()}\n\n${section}`;
    const options = { ...(await prettier.resolveConfig(file)), parser: 'markdown' };
    writeFileSync(file, await prettier.format(document, options));
  } else {
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/rtt-quick.md', section);
  }
}
