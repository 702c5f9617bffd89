import { pino } from 'pino';
import { Bot } from '../Bot.js';
import { DEFAULT_PART_SIZE } from '../CatchUpService.js';
import { type Options, numberOption } from '../config.js';
import { createProgressReporter } from '../progress.js';
import { connectionSettings } from './session.js';

/** `xsync-bot run`: follows channels until SIGTERM or SIGINT, then flushes snapshots and exits. */
export async function runCommand(options: Options): Promise<void> {
  const logger = pino({ name: 'xsync-bot', level: (options['log-level'] as string | undefined) ?? 'info' });
  const channels = (options.channel as string[] | undefined) ?? [];
  const invites = (options['accept-invites-from'] as string[] | undefined) ?? [];
  if (channels.length === 0 && invites.length === 0) {
    throw new Error('nothing to follow: give --channel (or XSYNC_BOT_CHANNEL) or --accept-invites-from');
  }
  const progress = createProgressReporter(logger);
  const httpPort = options['http-port'] === undefined ? undefined : numberOption(options, 'http-port', 0);
  const bot = await Bot.start({
    ...connectionSettings(options),
    channels,
    acceptInvitesFrom: invites,
    maxInvitedRooms: numberOption(options, 'max-invited-rooms', 100),
    ...(options['data-dir'] !== undefined && { dataDir: options['data-dir'] as string }),
    snapshotInterval: numberOption(options, 'snapshot-interval', 30) * 1000,
    maxDocuments: numberOption(options, 'max-documents', 100),
    ...(httpPort !== undefined && { httpPort }),
    ...(options['http-host'] !== undefined && { httpHost: options['http-host'] as string }),
    catchUp: {
      partSize: numberOption(options, 'part-size', DEFAULT_PART_SIZE),
      burst: numberOption(options, 'rate-burst', 10),
      perSecond: numberOption(options, 'rate-per-second', 2),
    },
    logger,
    onProgress: progress.report,
  });
  progress.stop();
  logger.info({ channels: [...bot.followers.keys()], http: bot.httpUrl }, 'ready');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down: flushing snapshots');
      bot.stop().then(resolve, (error: Error) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
