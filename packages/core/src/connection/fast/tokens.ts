/**
 * FAST tokens (XEP-0484): after one login with the password, the server hands out a token
 * that logs the same device in again in a single round trip, without the password.
 */

/** A FAST token as the server issued it. */
export interface FastToken {
  /** The mechanism the token is bound to, e.g. `HT-SHA-256-NONE` (XEP-0484 §3.2). */
  mechanism: string;
  /** The secret itself. */
  token: string;
  /** When the server stops accepting it (ISO 8601). */
  expiry: string;
}

/**
 * Where a device keeps its FAST tokens, one per account and server. A token is a credential:
 * keep it where only this device's user can read it. Implementations: {@link memoryTokenStore}
 * (the default in Node), `fileTokenStore` from `@xsync/core/node` (a data directory),
 * {@link indexedDbTokenStore} (the default in browsers).
 */
export interface TokenStore {
  /** The token kept for `key`, if any. */
  load(key: string): Promise<FastToken | undefined>;
  /** Keeps `token` for `key`, replacing the one before (XEP-0484 §3.4: rotation). */
  save(key: string, token: FastToken): Promise<void>;
  /** Forgets the token of `key` (refused or expired). */
  delete(key: string): Promise<void>;
}

/** The key a connection keeps its token under: account and the server it talks to. */
export function tokenKey(account: string, service: string): string {
  return `${account} ${service}`;
}

/** Keeps tokens in this process's memory: a restart logs in with the password again. */
export function memoryTokenStore(): TokenStore {
  const tokens = new Map<string, FastToken>();
  return {
    load: (key) => Promise.resolve(tokens.get(key)),
    save: (key, token) => {
      tokens.set(key, token);
      return Promise.resolve();
    },
    delete: (key) => {
      tokens.delete(key);
      return Promise.resolve();
    },
  };
}

/** Whether `value` has the shape of a {@link FastToken} (stored data is checked on load). */
export function isFastToken(value: unknown): value is FastToken {
  if (typeof value !== 'object' || value === null) return false;
  const { mechanism, token, expiry } = value as Record<string, unknown>;
  return typeof mechanism === 'string' && typeof token === 'string' && typeof expiry === 'string';
}
