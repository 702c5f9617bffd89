import { type FastToken, type TokenStore, isFastToken } from './tokens.js';

const DATABASE = 'xsync-fast-tokens';
const TOKENS = 'tokens';
const KEYS = 'keys';
const WRAPPING_KEY = 'wrapping-key';

interface SealedToken {
  iv: Uint8Array;
  sealed: ArrayBuffer;
}

/**
 * Keeps FAST tokens in the page origin's IndexedDB, sealed with AES-GCM under a key that
 * WebCrypto created non-extractable and that IndexedDB keeps as a `CryptoKey`: the browser
 * never hands the key's bytes to any script, so a copy of the stored data (a backup, a synced
 * profile, a disk image) is of no use elsewhere. A script running in the page could still use
 * the key while it runs, as it could use the session itself: keep the page free of foreign
 * scripts. Tokens never reach `localStorage`, which extensions and devtools read in clear.
 */
export function indexedDbTokenStore(database = DATABASE): TokenStore {
  let opened: Promise<IDBDatabase> | undefined;
  const open = () => (opened ??= openDatabase(database));
  return {
    async load(key) {
      const db = await open();
      const stored = await request<SealedToken | undefined>(db.transaction(TOKENS).objectStore(TOKENS).get(key));
      if (!stored) return undefined;
      try {
        const wrappingKey = await keyOf(db);
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: stored.iv as BufferSource },
          wrappingKey,
          stored.sealed,
        );
        const token: unknown = JSON.parse(new TextDecoder().decode(plain));
        return isFastToken(token) ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async save(key, token: FastToken) {
      const db = await open();
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        await keyOf(db),
        new TextEncoder().encode(JSON.stringify(token)),
      );
      await request(db.transaction(TOKENS, 'readwrite').objectStore(TOKENS).put({ iv, sealed }, key));
    },
    async delete(key) {
      const db = await open();
      await request(db.transaction(TOKENS, 'readwrite').objectStore(TOKENS).delete(key));
    },
  };
}

function openDatabase(name: string): Promise<IDBDatabase> {
  const opening = indexedDB.open(name, 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore(TOKENS);
    opening.result.createObjectStore(KEYS);
  };
  return request(opening);
}

/** The origin's wrapping key, created on first use. */
async function keyOf(db: IDBDatabase): Promise<CryptoKey> {
  const existing = await request<CryptoKey | undefined>(db.transaction(KEYS).objectStore(KEYS).get(WRAPPING_KEY));
  if (existing) return existing;
  const created = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  // `add` refuses a second key: two tabs racing keep the first one stored.
  try {
    await request(db.transaction(KEYS, 'readwrite').objectStore(KEYS).add(created, WRAPPING_KEY));
    return created;
  } catch {
    return (await request<CryptoKey | undefined>(db.transaction(KEYS).objectStore(KEYS).get(WRAPPING_KEY)))!;
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}
