import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import type { Account } from '../common/server.js';

/** Thrown when a command of Prosody's admin shell fails; `output` is what the shell said. */
export class ProsodyAdminError extends Error {
  override name = 'ProsodyAdminError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

const ADMIN_TIMEOUT_MS = 10_000;
const ADMIN_RETRY_MS = 20;

/**
 * Runs one command of Prosody's admin shell (mod_admin_shell) over its unix socket, as
 * `prosodyctl shell` does, and resolves with its output. The socket belongs to the user
 * Prosody runs as, so only that user and root may connect. A call takes a few milliseconds;
 * `prosodyctl` starts a Lua process each time (70–100 ms).
 */
export function adminShell(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let received = '';
    const timer = setTimeout(
      () => fail(new Error(`Prosody's admin shell did not answer: ${command}`)),
      ADMIN_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.setEncoding('utf8');
    socket.once('error', fail);
    socket.once('close', () => fail(new Error(`Prosody's admin shell closed the connection: ${received}`)));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const result = /<repl-result( type='error')?>([^<]*)<\/repl-result>/.exec(received);
      if (!result) return;
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.end('</stream:stream>');
      const output = [...received.matchAll(/<repl-output[^>]*>([^<]*)<\/repl-output>/g), result]
        .map((match) => unescapeXml(match.at(-1) ?? ''))
        .join('\n');
      if (result[1]) reject(new ProsodyAdminError(`Prosody's admin shell failed: ${output}`, output));
      else resolve(output);
    });
    socket.once('connect', () => {
      socket.write(
        "<?xml version='1.0'?><stream:stream xmlns='xmpp:prosody.im/admin' " +
          "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>" +
          `<repl-input repl='0'>${escapeXml(command)}</repl-input>`,
      );
    });
  });
}

/**
 * Resolves once the admin shell answers, which Prosody opens after its ports, when it has
 * loaded every module; retries while the socket is not there yet and `running()` holds,
 * until `deadline` (epoch ms).
 */
export async function untilAdminShellAnswers(
  socketPath: string,
  deadline: number,
  running: () => boolean,
): Promise<void> {
  for (;;) {
    try {
      await adminShell(socketPath, 'server:version()');
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const retry = (code === 'ENOENT' || code === 'ECONNREFUSED') && running() && Date.now() < deadline;
      if (!retry) throw new Error(`Prosody's admin shell at ${socketPath} did not open`, { cause: error });
      await new Promise((resolveRetry) => setTimeout(resolveRetry, ADMIN_RETRY_MS));
    }
  }
}

/**
 * Creates an account through the admin shell of a running Prosody; a random name and
 * password are chosen when omitted. Rejects when the name is taken ("already registered").
 */
export async function registerProsodyAccount(
  adminSocket: string,
  domain: string,
  username = `user-${randomBytes(6).toString('hex')}`,
  password = randomBytes(12).toString('hex'),
): Promise<Account> {
  // RFC 7622 forbids these in a localpart; upper case would not match the nodeprepped login.
  if (username === '' || /[\s"&'/:<>@\\]/.test(username) || username !== username.toLowerCase()) {
    throw new RangeError(`Invalid username for an XMPP address: ${username}`);
  }
  const jid = `${username}@${domain}`;
  try {
    await adminShell(adminSocket, `user:create(${luaString(jid)}, ${luaString(password)}, "prosody:member")`);
  } catch (error) {
    if (error instanceof ProsodyAdminError && error.output.includes('User exists')) {
      throw new ProsodyAdminError(`${jid} is already registered`, error.output);
    }
    throw error;
  }
  return { username, password, jid };
}

/** A Lua string literal holding `text` byte by byte, whatever it contains. */
function luaString(text: string): string {
  return `"${[...Buffer.from(text)].map((byte) => `\\${byte}`).join('')}"`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
