import { type Element, xml } from '../../xml/index.js';
import { decodeBase64, encodeBase64 } from '../../events/base64.js';
import { registerInBand } from '../registration.js';
import type { FastToken, TokenStore } from './tokens.js';

/** A token as kept: bound to the user agent that obtained it (XEP-0484 §3.2). */
export interface StoredToken extends FastToken {
  /** The `<user-agent id>` (XEP-0388 §2.3) the token was issued to. */
  userAgent?: string;
  /** Proof of the password the token was obtained with (see {@link passwordLogin}). */
  verifier?: PasswordVerifier;
}

/** PBKDF2-SHA-256 of a password, base64. */
export interface PasswordVerifier {
  salt: string;
  hash: string;
}

/** As many rounds as the server's own SCRAM-SHA-1 verifier: no weaker than what it keeps. */
const VERIFIER_ITERATIONS = 4096;

type Authenticate = (
  credentials: { username: string; password: string; token?: FastToken },
  mechanism: string,
  userAgent: Element,
) => Promise<void>;

/** The handler `@xmpp/client` calls to sign in (its `credentials` option). */
export type Credentials = (
  authenticate: Authenticate,
  mechanisms: string[],
  fast: unknown,
  entity: unknown,
) => Promise<void>;

/** The part of `@xmpp/client`'s FAST module this wires a store into. */
interface FastModule {
  fetchToken(): Promise<FastToken | undefined>;
  saveToken(token: FastToken): Promise<void>;
  deleteToken(): Promise<void>;
}

/** What a login with a password needs. */
export interface PasswordLogin {
  username: string;
  password: string;
  /** Register the account in band on the first session (XEP-0077). */
  register?: (iq: Element) => Promise<Element>;
  /** Where FAST tokens are kept; none: always the password. */
  tokens?: TokenStore;
  /** The key of this account and server in `tokens`. */
  tokenKey: string;
}

/**
 * The SASL credentials handler of a password login (SASL2 or SASL), with FAST tokens read
 * from and written to a {@link TokenStore}. The `<user-agent id>` is kept with the token:
 * servers bind a token to the user agent it was issued to, so a device presents the same id
 * on every login (XEP-0388 §2.3), and a new connection object can still use the token.
 *
 * A token is used only by a login that gives the password it was obtained with: one process
 * or browser profile may open connections for several people, and a token must not turn a
 * wrong password into a session. The check is local (a salted PBKDF2 verifier kept with the
 * token); the server then sees only the token.
 */
export function passwordLogin(
  login: PasswordLogin,
  fast: FastModule,
): { credentials: Credentials; saved: () => Promise<void> } {
  let saving: Promise<void> = Promise.resolve();
  let userAgentId: string = globalThis.crypto.randomUUID();
  let registered = login.register === undefined;
  if (login.tokens) {
    const { tokens, tokenKey } = login;
    let offered = false;
    fast.fetchToken = async () => {
      offered = false;
      const stored = (await tokens.load(tokenKey)) as StoredToken | undefined;
      if (!stored?.verifier || !(await verifies(login.password, stored.verifier))) return undefined;
      if (stored.userAgent) userAgentId = stored.userAgent;
      offered = true;
      return stored;
    };
    // XEP-0484 §3.4: a new token replaces the old one, which the server may stop accepting.
    fast.saveToken = (token) => {
      saving = (async () => {
        const stored: StoredToken = { ...token, userAgent: userAgentId, verifier: await verifierOf(login.password) };
        await tokens.save(tokenKey, stored);
      })();
      return saving;
    };
    // xmpp.js deletes whenever it has no usable token; only a token the server refused goes.
    fast.deleteToken = async () => {
      if (offered) await tokens.delete(tokenKey);
      offered = false;
    };
  } else {
    fast.fetchToken = () => Promise.resolve(undefined);
    fast.saveToken = () => Promise.resolve();
  }
  const credentials: Credentials = async (authenticate, mechanisms, fastAvailable) => {
    if (!registered) {
      await registerInBand(login.register!, login.username, login.password);
      registered = true;
    }
    const token = fastAvailable ? await fast.fetchToken() : undefined;
    // As xmpp.js chooses on a stream without TLS: never PLAIN when another mechanism is offered.
    const mechanism = mechanisms.find((name) => name !== 'PLAIN') ?? mechanisms[0]!;
    const userAgent = xml('user-agent', { id: userAgentId }, xml('software', {}, 'xsync'));
    await authenticate({ username: login.username, password: login.password, token }, mechanism, userAgent);
  };
  // A token the server sent with <success/> is being sealed and stored: wait for it.
  return { credentials, saved: () => saving.catch(() => undefined) };
}

async function verifierOf(
  password: string,
  salt: Uint8Array<ArrayBufferLike> = crypto.getRandomValues(new Uint8Array(16)),
): Promise<PasswordVerifier> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: VERIFIER_ITERATIONS },
    key,
    256,
  );
  return { salt: encodeBase64(salt), hash: encodeBase64(new Uint8Array(bits)) };
}

/**
 * Verifiers this process has checked, each with a digest of the password that matched: a
 * reconnect then costs one SHA-256 instead of PBKDF2's rounds. Memory only, as is the password.
 */
const checked = new Map<string, string>();
const CHECKED_KEPT = 32;

async function verifies(password: string, verifier: PasswordVerifier): Promise<boolean> {
  const key = `${verifier.salt} ${verifier.hash}`;
  const digest = encodeBase64(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${key} ${password}`))),
  );
  if (checked.get(key) === digest) return true;
  try {
    const { hash } = await verifierOf(password, decodeBase64(verifier.salt));
    if (hash !== verifier.hash) return false;
    checked.set(key, digest);
    if (checked.size > CHECKED_KEPT) checked.delete(checked.keys().next().value!);
    return true;
  } catch {
    return false;
  }
}
