import type { Element } from '../xml/index.js';
import { reject } from './rejection.js';

/** Size and depth bounds for one payload element. */
export interface PayloadLimits {
  /** Characters of names, attribute values and text, summed over the tree. */
  maxSize: number;
  /** Element nesting depth; the payload element itself is depth 1. */
  maxDepth: number;
}

/**
 * Walks a payload once and throws `oversized` or `too-deep` as soon as a limit is passed,
 * so a hostile payload costs no more than the limit to inspect.
 */
export function checkLimits(payload: Element, limits: PayloadLimits): void {
  let size = 0;
  const stack: Array<[Element, number]> = [[payload, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > limits.maxDepth) throw reject('too-deep', `payload nests deeper than ${limits.maxDepth} elements`);
    size += element.name.length;
    for (const key in element.attrs) size += key.length + String(element.attrs[key]).length;
    for (const child of element.children) {
      if (typeof child === 'string') size += child.length;
      else stack.push([child, depth + 1]);
    }
    if (size > limits.maxSize) throw reject('oversized', `payload is larger than ${limits.maxSize} characters`);
  }
}
