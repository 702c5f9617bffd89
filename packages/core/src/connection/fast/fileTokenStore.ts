import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FastToken, type TokenStore, isFastToken } from './tokens.js';

/**
 * Keeps FAST tokens in one JSON file in `dir` (a data directory), readable by its owner only
 * (mode 0600), written atomically.
 */
export function fileTokenStore(dir: string): TokenStore {
  const file = join(dir, 'fast-tokens.json');
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<Record<string, FastToken>> => {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(Object.entries(parsed).filter(([, token]) => isFastToken(token))) as Record<
        string,
        FastToken
      >;
    } catch {
      return {};
    }
  };
  // Writes run one after another, so two saves never lose each other's token.
  const update = (change: (tokens: Record<string, FastToken>) => void): Promise<void> => {
    const next = queue.then(async () => {
      const tokens = await read();
      change(tokens);
      await mkdir(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(tokens), { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, file);
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    load: async (key) => (await read())[key],
    save: (key, token) => update((tokens) => void (tokens[key] = token)),
    delete: (key) => update((tokens) => void delete tokens[key]),
  };
}
