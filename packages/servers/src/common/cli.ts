import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { XmppServer } from './server.js';

/** The start options every server's command line sets. */
export interface CliServerOptions {
  domain: string | undefined;
  c2sPort: number | undefined;
  httpPort: number | undefined;
  dataDir: string | undefined;
  install: boolean;
}

/** What sets one server's command line apart. */
export interface ServerCli<S extends XmppServer, E extends string> {
  help: string;
  /** Names of string options beyond the common ones, e.g. `postgres` for `--postgres <url>`. */
  stringOptions?: readonly E[];
  start(options: CliServerOptions, extra: Partial<Record<E, string>>): Promise<S>;
  /** What to print once the server runs, accounts registered. */
  banner(server: S): string;
  /** Errors shown by their message alone: they tell the user what to install. */
  notInstalledError: abstract new (...args: never[]) => Error;
}

const COMMON_OPTIONS = {
  domain: { type: 'string' },
  'c2s-port': { type: 'string' },
  'http-port': { type: 'string' },
  'data-dir': { type: 'string' },
  account: { type: 'string', multiple: true },
  'no-install': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CommonValues = ReturnType<typeof parseArgs<{ options: typeof COMMON_OPTIONS }>>['values'];

/**
 * Runs a server from the command line until SIGINT or SIGTERM: parses the options common to
 * every server and `cli.stringOptions`, starts it, registers the `--account`s (existing ones
 * are kept) and prints the banner.
 */
export async function runServerCli<S extends XmppServer, E extends string = never>(
  cli: ServerCli<S, E>,
): Promise<void> {
  const names = cli.stringOptions ?? [];
  const options: NonNullable<ParseArgsConfig['options']> = { ...COMMON_OPTIONS };
  for (const name of names) options[name] = { type: 'string' };
  const parsed = parseArgs({ options }).values;
  // Options built at run time lose parseArgs's types; the common ones are COMMON_OPTIONS'.
  const values = parsed as CommonValues;
  const extra: Partial<Record<E, string>> = {};
  for (const name of names) {
    const value = parsed[name];
    if (typeof value === 'string') extra[name] = value;
  }

  if (values.help) {
    console.log(cli.help);
    process.exit(0);
  }

  try {
    const server = await cli.start(
      {
        domain: values.domain,
        c2sPort: values['c2s-port'] ? Number(values['c2s-port']) : undefined,
        httpPort: values['http-port'] ? Number(values['http-port']) : undefined,
        dataDir: values['data-dir'],
        install: !values['no-install'],
      },
      extra,
    );
    for (const account of values.account ?? []) {
      const [user, password] = account.split(':');
      if (!user || !password) throw new Error(`--account takes user:password, got ${account}`);
      await server.createAccount(user, password).catch((error: unknown) => {
        if (!String(error).includes('already registered')) throw error;
      });
    }
    console.log(cli.banner(server));
    const stop = () => {
      void server.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(error instanceof cli.notInstalledError ? error.message : error);
    process.exit(1);
  }
}
