import { reject } from '../../rejection.js';

/** Node ids: short, printable, no whitespace ([DOM2]). */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const NAME_PATTERN = /^(?:[A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Elements and attributes a synchronized DOM refuses, because a page may render it ([DOM5]). */
const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'foreignobject']);

export function checkId(id: unknown): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw reject('invalid-payload', `invalid node id`);
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
  if (lower === 'xmlns' || lower.startsWith('xmlns:')) throw reject('forbidden', 'namespace declarations are not attributes');
  if (local.startsWith('on')) throw reject('forbidden', `event handler attribute ${name} is not allowed`);
  if (value !== undefined && /^\s*(?:javascript:|vbscript:|data:text\/html)/i.test(value.replace(/[\u0000-\u001f]/g, ''))) {
    throw reject('forbidden', `attribute ${name} holds a script URL`);
  }
  return name;
}
