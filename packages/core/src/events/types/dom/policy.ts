import { reject } from '../../rejection.js';

/** Ids a sender gives new nodes: short, printable, no whitespace ([DOM2]). */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/**
 * Ids that name an existing node: longer, because ids derived inside markup ([DOM4]) add
 * `.<index>` per level to the id the sender gave (at most 64 + 32 × 5 characters).
 */
export const REFERENCE_PATTERN = /^[A-Za-z0-9_.:-]{1,256}$/;
const NAME_PATTERN = /^(?:[A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Elements and attributes a synchronized DOM refuses, because a page may render it ([DOM5]). */
const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'foreignobject']);

/**
 * Script URLs at the start of a value or of any item of a `;`-separated list: SVG animation
 * `values` (`#a;javascript:…`) can set a link to any item of the list.
 */
const SCRIPT_URL = /(?:^|;)(?:javascript:|vbscript:|data:text\/html)/i;
/** Characters a URL parser may skip or a page may not show: C0 controls, space, DEL, C1 controls. */
const IGNORED_IN_URLS = /[\u0000-\u0020\u007f-\u009f]/g;

/** A prefixed name means nothing without its namespace: `svg:rect` needs `ns` ([DOM2]). */
export function checkQualified<T extends { name: string; ns?: string }>(spec: T): T {
  if (spec.name.includes(':') && !spec.ns) throw reject('invalid-payload', `${spec.name} needs a namespace`);
  return spec;
}

/** An id for a new node. */
export function checkId(id: unknown): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw reject('invalid-payload', `invalid node id`);
  return id;
}

/** An id that names a node (`parent`, `before`, the node an operation changes), or one derived in markup. */
export function checkReference(id: unknown): string {
  if (typeof id !== 'string' || !REFERENCE_PATTERN.test(id)) throw reject('invalid-payload', `invalid node id`);
  return id;
}

export function checkElementName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw reject('invalid-payload', `invalid element name`);
  const local = name.slice(name.indexOf(':') + 1).toLowerCase();
  if (FORBIDDEN_ELEMENTS.has(local)) throw reject('forbidden', `element <${name}> is not allowed`);
  return name;
}

export function checkAttribute(name: unknown, value: string | undefined): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw reject('invalid-payload', `invalid attribute name`);
  const lower = name.toLowerCase();
  const local = lower.slice(lower.indexOf(':') + 1);
  if (lower === 'xmlns' || lower.startsWith('xmlns:'))
    throw reject('forbidden', 'namespace declarations are not attributes');
  if (local.startsWith('on')) throw reject('forbidden', `event handler attribute ${name} is not allowed`);
  if (value !== undefined && SCRIPT_URL.test(value.replace(IGNORED_IN_URLS, ''))) {
    throw reject('forbidden', `attribute ${name} holds a script URL`);
  }
  return name;
}
