import type { Element } from '../xml/index.js';
import { reject } from './rejection.js';

/** Size and depth bounds for one payload element. */
export interface PayloadLimits {
  /**
   * Characters (Unicode code points) of element names, attribute names and values, and text,
   * summed over the tree; namespace declarations (`xmlns`, `xmlns:*`) do not count ([LIM1]).
   */
  maxSize: number;
  /** Element nesting depth; the payload element itself is depth 1. */
  maxDepth: number;
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Characters of a string as XML counts them: code points, so an emoji is one, not two UTF-16 units. */
export function characterCount(text: string): number {
  let pairs = 0;
  // Most text holds no astral characters: one scan finds out.
  if (/[\uD800-\uDBFF]/.test(text)) pairs = text.match(SURROGATE_PAIR)?.length ?? 0;
  return text.length - pairs;
}

/**
 * Throws `oversized` or `too-deep` as soon as a limit is passed, so a hostile payload costs
 * no more than the limit to inspect. A string's UTF-16 length bounds its characters from
 * above, so most payloads fit by that bound alone; code points are counted only for one that
 * does not, on a second walk.
 */
export function checkLimits(payload: Element, limits: PayloadLimits): void {
  if (fits(payload, limits, (text) => text.length)) return;
  if (!fits(payload, limits, characterCount)) {
    throw reject('oversized', `payload is larger than ${limits.maxSize} characters`);
  }
}

/** Walks the payload, sizing its strings with `measure`: false once the size passes the limit. */
function fits(payload: Element, limits: PayloadLimits, measure: (text: string) => number): boolean {
  let size = 0;
  const stack: Array<[Element, number]> = [[payload, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > limits.maxDepth) throw reject('too-deep', `payload nests deeper than ${limits.maxDepth} elements`);
    size += measure(element.name);
    for (const key in element.attrs) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
      size += measure(key) + measure(String(element.attrs[key]));
    }
    for (const child of element.children) {
      if (typeof child === 'string') size += measure(child);
      else stack.push([child, depth + 1]);
    }
    if (size > limits.maxSize) return false;
  }
  return true;
}
