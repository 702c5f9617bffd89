import { fromBase64 } from 'lib0/buffer';
import { encodeBase64 } from '../events/base64.js';

/**
 * SCRAM-SHA-1 (RFC 5802) for xmpp.js with PBKDF2 done natively (WebCrypto, in browsers and
 * Node alike) and the salted password cached per account, salt and iteration count, as
 * RFC 5802 §5.1 allows: a reconnect then costs two HMACs instead of 4,096 SHA-1 rounds in
 * JavaScript. The cache lives in memory only.
 */

const encoder = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

/** Most salted passwords kept; the oldest goes first. */
const CACHE_SIZE = 32;
const saltedPasswords = new Map<string, Promise<Uint8Array>>();

/** Credentials as xmpp.js passes them to a SASL mechanism. */
interface Credentials {
  username: string;
  password: string;
}

export class ScramSha1 {
  readonly name = 'SCRAM-SHA-1';
  readonly clientFirst = true;
  #stage: 'first' | 'final' | 'done' = 'first';
  #nonce: string;
  #clientFirstBare = '';
  #serverFirst = '';

  constructor(nonce = randomNonce()) {
    this.#nonce = nonce;
  }

  async response(credentials: Credentials): Promise<string> {
    if (this.#stage === 'first') {
      this.#clientFirstBare = `n=${saslName(credentials.username)},r=${this.#nonce}`;
      return `n,,${this.#clientFirstBare}`;
    }
    if (this.#stage !== 'final') throw new Error('SCRAM: unexpected response request');
    this.#stage = 'done';
    const fields = parseFields(this.#serverFirst);
    const serverNonce = fields.get('r');
    const salt = fields.get('s');
    const iterations = Number(fields.get('i'));
    if (!serverNonce?.startsWith(this.#nonce) || serverNonce === this.#nonce)
      throw new Error('SCRAM: bad server nonce');
    if (!salt || !Number.isInteger(iterations) || iterations < 1) throw new Error('SCRAM: bad salt or iteration count');
    const withoutProof = `c=biws,r=${serverNonce}`;
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const salted = await saltedPassword(credentials, salt, iterations);
    const clientKey = await hmac(salted, 'Client Key');
    const storedKey = new Uint8Array(await subtle().digest('SHA-1', clientKey as BufferSource));
    const signature = await hmac(storedKey, authMessage);
    const proof = clientKey.map((byte, i) => byte ^ signature[i]!);
    return `${withoutProof},p=${encodeBase64(proof)}`;
  }

  async challenge(serverFirst: string): Promise<void> {
    if (this.#stage !== 'first') throw new Error('SCRAM: unexpected challenge');
    this.#serverFirst = serverFirst;
    this.#stage = 'final';
  }
}

/** Forgets every cached salted password (for example after a password change). */
export function clearScramCache(): void {
  saltedPasswords.clear();
}

function saltedPassword(credentials: Credentials, salt: string, iterations: number): Promise<Uint8Array> {
  const key = [credentials.username, credentials.password, salt, iterations].join('\u0000');
  let cached = saltedPasswords.get(key);
  if (!cached) {
    cached = pbkdf2(credentials.password, fromBase64(salt), iterations);
    // A failed derivation must not stay cached.
    cached.catch(() => saltedPasswords.delete(key));
    saltedPasswords.set(key, cached);
    if (saltedPasswords.size > CACHE_SIZE) saltedPasswords.delete(saltedPasswords.keys().next().value!);
  }
  return cached;
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', salt: salt as BufferSource, iterations, hash: 'SHA-1' },
    key,
    160,
  );
  return new Uint8Array(bits);
}

async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const hmacKey = await subtle().importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle().sign('HMAC', hmacKey, encoder.encode(message)));
}

/** RFC 5802 §5.1: `=` and `,` in user names are escaped. */
function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseFields(message: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

function randomNonce(): string {
  return encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(18)));
}
