import { Room, Connection } from '@xsync/core';
import { type Options, requiredOption } from '../config.js';

/** Connection settings shared by every command. */
export function connectionSettings(options: Options) {
  const service = (options.service as string | undefined) ?? 'xmpp://127.0.0.1:5222';
  const password = options.password as string | undefined;
  if (password === undefined) throw new Error('--password is required (or XSYNC_BOT_PASSWORD)');
  return {
    service,
    ...(options.domain !== undefined && { domain: options.domain as string }),
    username: (options.username as string | undefined) ?? 'xsync-bot',
    password,
  };
}

/**
 * Runs a one-shot command with a session and, when `--channel` is given, that channel
 * joined; closes both afterwards, whatever happens. One-shot sessions bind a random resource,
 * so they never displace a running bot.
 */
export async function withSession<T>(
  options: Options,
  use: (session: { connection: Connection; channel: Room | undefined }) => Promise<T>,
): Promise<T> {
  const connection = await Connection.open({ ...connectionSettings(options), reconnect: false });
  let channel: Room | undefined;
  try {
    if (options.channel !== undefined) {
      channel = new Room(connection, { jid: requiredOption(options, 'channel') });
      await channel.join();
    }
    return await use({ connection, channel });
  } finally {
    channel?.destroy();
    await connection.close();
  }
}
