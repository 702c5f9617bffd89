import { reject } from './rejection.js';

/**
 * Walks parsed JSON once and refuses nesting deeper than `maxDepth` (`too-deep`) and any
 * `__proto__` key (`forbidden`): merged into an object, such a key replaces its prototype.
 */
export function checkUntrustedJson(root: unknown, maxDepth: number): void {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) throw reject('too-deep', `JSON nests deeper than ${maxDepth}`);
    for (const key of Object.keys(value)) {
      if (key === '__proto__') throw reject('forbidden', 'JSON key __proto__ is not allowed');
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
}
