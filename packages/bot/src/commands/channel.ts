import { Room, type ChannelInfo } from '@xsync/core';
import { type Options, requiredOption } from '../config.js';
import { connectionSettings, withSession } from './session.js';

/** `xsync-bot channel create`: creates a room (MUC by default), optionally with a name and description. */
export async function channelCreateCommand(options: Options): Promise<void> {
  await withSession({ ...options, channel: undefined }, async ({ connection }) => {
    const domain = connectionSettings(options).domain ?? new URL(connectionSettings(options).service).hostname;
    const service = (options['room-service'] as string | undefined) ?? `muc.${domain}`;
    const jid = await Room.create(connection, service, options.id as string | undefined);
    const info = infoFrom(options);
    if (info) {
      const channel = new Room(connection, { jid });
      await channel.join();
      await channel.setInfo(info);
      channel.destroy();
    }
    process.stdout.write(`${jid}\n`);
  });
}

/** `xsync-bot channel set`: a new name and/or description (a MUC room's owner only). */
export async function channelSetCommand(options: Options): Promise<void> {
  requiredOption(options, 'channel');
  const info = infoFrom(options);
  if (!info) throw new Error('give --name and/or --description');
  await withSession(options, async ({ channel }) => {
    await channel!.setInfo(info);
  });
}

/** `xsync-bot channel info`: the channel's name, description and participant count. */
export async function channelInfoCommand(options: Options): Promise<void> {
  requiredOption(options, 'channel');
  await withSession(options, async ({ channel }) => {
    const info = await channel!.info();
    const participants = channel!.participants.size;
    process.stdout.write(`${JSON.stringify({ jid: channel!.jid, ...info, participants }, null, 2)}\n`);
  });
}

/** `xsync-bot channel participants`: who is in the channel. */
export async function channelParticipantsCommand(options: Options): Promise<void> {
  requiredOption(options, 'channel');
  await withSession(options, async ({ channel }) => {
    const participants = [...channel!.participants.values()];
    if (options.json) {
      process.stdout.write(`${JSON.stringify(participants, null, 2)}\n`);
      return;
    }
    for (const participant of participants) {
      process.stdout.write(`${participant.id}  ${participant.jid ?? '-'}  ${participant.nick ?? '-'}\n`);
    }
  });
}

function infoFrom(options: Options): ChannelInfo | undefined {
  const info: ChannelInfo = {
    ...(options.name !== undefined && { name: options.name as string }),
    ...(options.description !== undefined && { description: options.description as string }),
  };
  return Object.keys(info).length === 0 ? undefined : info;
}
