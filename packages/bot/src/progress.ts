import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Logger } from 'pino';
import type { ReplayProgress } from './RoomFollower.js';

/** Least milliseconds between two progress log lines of a channel. */
const LOG_INTERVAL = 2000;

/**
 * Shows initial replays: a bar per channel with count, rate and ETA on a terminal, plain
 * log lines otherwise. Returns the callback for {@link BotOptions.onProgress} and `stop()`.
 */
export function createProgressReporter(
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): { report: (progress: ReplayProgress) => void; stop: () => void } {
  const started = new Map<string, number>();
  const rateOf = (progress: ReplayProgress) => {
    const seconds = (performance.now() - started.get(progress.channel)!) / 1000;
    return seconds > 0 ? Math.round(progress.done / seconds) : 0;
  };
  if (stream.isTTY) {
    const bars = new MultiBar(
      {
        stream,
        format: ' {channel} [{bar}] {value}/{total} events | {rate}/s | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    const byChannel = new Map<string, SingleBar>();
    return {
      report(progress) {
        if (!started.has(progress.channel)) started.set(progress.channel, performance.now());
        const total = progress.total ?? Math.max(progress.done, 1);
        let bar = byChannel.get(progress.channel);
        if (!bar) {
          bar = bars.create(total, 0, { channel: progress.channel, rate: 0 });
          byChannel.set(progress.channel, bar);
        }
        bar.setTotal(Math.max(total, progress.done));
        bar.update(progress.done, { rate: rateOf(progress) });
        if (progress.finished) bar.stop();
      },
      stop: () => bars.stop(),
    };
  }
  const lastLogged = new Map<string, number>();
  return {
    report(progress) {
      const now = performance.now();
      if (!started.has(progress.channel)) started.set(progress.channel, now);
      if (!progress.finished && now - (lastLogged.get(progress.channel) ?? -Infinity) < LOG_INTERVAL) return;
      lastLogged.set(progress.channel, now);
      const rate = rateOf(progress);
      const remaining = progress.total === undefined ? undefined : progress.total - progress.done;
      logger.info(
        {
          channel: progress.channel,
          done: progress.done,
          total: progress.total,
          rate,
          etaSeconds: remaining === undefined || rate === 0 ? undefined : Math.round(remaining / rate),
        },
        progress.finished ? 'replay finished' : 'replaying archive',
      );
    },
    stop: () => undefined,
  };
}
