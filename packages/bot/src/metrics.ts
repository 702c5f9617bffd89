import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The bot's Prometheus metrics, in a registry of their own. */
export interface BotMetrics {
  registry: Registry;
  channels: Gauge;
  documents: Gauge;
  events: Counter<'channel'>;
  rejected: Counter<'reason'>;
  missingEvents: Counter<'channel'>;
  catchUps: Counter<'result'>;
  catchUpSeconds: Histogram;
  replayLag: Gauge<'channel'>;
  loggedEvents: Gauge<'channel'>;
  snapshots: Counter;
  snapshotsRejected: Counter;
  snapshotBytes: Gauge<'channel'>;
}

/** Creates the metrics; process metrics (CPU, RSS, event loop lag) are included. */
export function createMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'xsync_bot_' });
  const registers = [registry];
  return {
    registry,
    channels: new Gauge({ name: 'xsync_bot_channels', help: 'Channels followed', registers }),
    documents: new Gauge({ name: 'xsync_bot_documents', help: 'Documents held, over all channels', registers }),
    events: new Counter({
      name: 'xsync_bot_events_total',
      help: 'Events applied to channel state (rate() gives events per second)',
      labelNames: ['channel'],
      registers,
    }),
    rejected: new Counter({
      name: 'xsync_bot_events_rejected_total',
      help: 'Events refused by validation or by their reducer, by reason',
      labelNames: ['reason'],
      registers,
    }),
    missingEvents: new Counter({
      name: 'xsync_bot_missing_events_total',
      help: "Events the archive lacks, found as gaps in senders' chains (INT3)",
      labelNames: ['channel'],
      registers,
    }),
    catchUps: new Counter({
      name: 'xsync_bot_catch_up_requests_total',
      help: 'Catch-up requests, by result (served, rate-limited, not-found, not-held, bad-request, failed)',
      labelNames: ['result'],
      registers,
    }),
    catchUpSeconds: new Histogram({
      name: 'xsync_bot_catch_up_seconds',
      help: 'Time to answer a served catch-up request',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    replayLag: new Gauge({
      name: 'xsync_bot_replay_lag_seconds',
      help: 'Age of the newest archived event replayed so far; 0 once following live',
      labelNames: ['channel'],
      registers,
    }),
    loggedEvents: new Gauge({
      name: 'xsync_bot_logged_events',
      help: 'Events kept for rebuilding order-dependent documents',
      labelNames: ['channel'],
      registers,
    }),
    snapshots: new Counter({ name: 'xsync_bot_snapshots_total', help: 'Snapshots written', registers }),
    snapshotsRejected: new Counter({
      name: 'xsync_bot_snapshots_rejected_total',
      help: 'Snapshots found corrupt or unusable and rebuilt from the archive',
      registers,
    }),
    snapshotBytes: new Gauge({
      name: 'xsync_bot_snapshot_bytes',
      help: 'Size of the last snapshot written',
      labelNames: ['channel'],
      registers,
    }),
  };
}
