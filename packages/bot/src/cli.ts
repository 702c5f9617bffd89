#!/usr/bin/env node
import { COMMAND_OPTIONS, envNameOf, resolveOptions } from './config.js';
import {
  channelCreateCommand,
  channelInfoCommand,
  channelParticipantsCommand,
  channelSetCommand,
} from './commands/channel.js';
import { exportCommand } from './commands/export.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';

const COMMANDS: Record<
  string,
  { summary: string; run: (options: ReturnType<typeof resolveOptions>) => Promise<void> }
> = {
  run: {
    summary: 'follow channels: keep their state, answer catch-up requests, write snapshots (default)',
    run: runCommand,
  },
  export: { summary: "write a channel's document as it was at an archive id or time", run: exportCommand },
  replay: { summary: "list a channel's history step by step: who changed what, when", run: replayCommand },
  'channel create': { summary: 'create a channel, optionally naming and describing it', run: channelCreateCommand },
  'channel info': { summary: "show a channel's name, description and participant count", run: channelInfoCommand },
  'channel set': { summary: "set a room's name and/or description (a MUC room's owners only)", run: channelSetCommand },
  'channel participants': { summary: "list a channel's participants", run: channelParticipantsCommand },
};

function usage(): string {
  const lines = [
    'Usage: xsync-bot [command] [options]',
    '',
    'A participant of xsync channels that keeps each document, serves one-round-trip catch-up',
    'to clients, writes snapshots, and exports or replays history.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(22)}${summary}`),
    "  help [command]        this text, or a command's options",
    '',
    'Every option can also be set by environment variable (--data-dir: XSYNC_BOT_DATA_DIR) or',
    'in a JSON file given by --config (key dataDir); flags win over the environment, which wins',
    'over the file.',
  ];
  return `${lines.join('\n')}\n`;
}

function commandUsage(name: string): string {
  const lines = [`Usage: xsync-bot ${name} [options]`, '', COMMANDS[name]!.summary, '', 'Options:'];
  for (const spec of COMMAND_OPTIONS[name]!) {
    const flag = `--${spec.flag}${spec.kind === 'boolean' ? '' : ' VALUE'}`;
    const fallback = spec.fallback === undefined ? '' : ` (default: ${spec.fallback})`;
    lines.push(`  ${flag.padEnd(30)}${spec.description}${fallback}`);
    lines.push(`  ${''.padEnd(30)}env ${envNameOf(spec.flag)}`);
  }
  if (name === 'run') {
    lines.push('', 'Signals: SIGTERM and SIGINT write every snapshot, leave the server cleanly and exit.');
  }
  return `${lines.join('\n')}\n`;
}

/** Splits `channel create --x` into the command name and its arguments. */
function commandOf(argv: string[]): { name: string; args: string[] } {
  if (argv[0] === 'channel') return { name: `channel ${argv[1] ?? ''}`.trim(), args: argv.slice(2) };
  if (argv[0] === undefined || argv[0].startsWith('-')) return { name: 'run', args: argv };
  return { name: argv[0], args: argv.slice(1) };
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const topic = argv.slice(1).join(' ');
    process.stdout.write(topic && COMMANDS[topic] ? commandUsage(topic) : usage());
    return 0;
  }
  const { name, args } = commandOf(argv);
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`xsync-bot: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(commandUsage(name));
    return 0;
  }
  let options;
  try {
    options = resolveOptions(name, args);
  } catch (error) {
    process.stderr.write(`xsync-bot ${name}: ${(error as Error).message}\n\n${commandUsage(name)}`);
    return 2;
  }
  await command.run(options);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`xsync-bot: ${error.message}\n`);
    process.exitCode = 1;
  },
);
