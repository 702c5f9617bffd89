import type { Element } from '../xml/index.js';

/**
 * What a stanza of a conformance vector must be (docs/protocol.md §15): its name, attributes,
 * error, and the elements it holds or lacks. Values may hold placeholders such as `{room}`,
 * which the runner's `fill` replaces.
 */
export interface ExpectedStanza {
  /** The element's qualified name, as written (`iq`, `stream:stream`, `authenticate`). */
  name: string;
  /** Attributes it must have, with these values. */
  attrs?: Record<string, string>;
  /** A stanza error: its `type` when given, and its condition (`urn:ietf:params:xml:ns:xmpp-stanzas`). */
  error?: { type?: string; condition: string };
  /** Paths of elements it must hold: steps `{namespace}name[attribute=value]` joined by ` > `. */
  contains?: string[];
  /** Paths of elements it must not hold. */
  lacks?: string[];
  /** Its own text, exactly. */
  text?: string;
  /** The exact text of the first element at each path. */
  texts?: Record<string, string>;
}

type Fill = (text: string) => string;

const STEP = /^(?:\{([^}]*)\})?([^[\s]+)((?:\[[^\]]+\])*)$/;
const PREDICATE = /\[([^=\]]+)(?:=([^\]]*))?\]/g;

/**
 * The children of `element` that the first step of `path` names, each with the rest of the path:
 * a step `{ns}name[attr=value]…` matches the local name in any namespace without `{ns}`, and
 * `[attr]` alone matches any value.
 */
function* walk(element: Element, path: string, fill: Fill): Generator<Element> {
  const [step, ...rest] = path.split(' > ');
  const match = STEP.exec(fill(step!));
  if (!match) throw new Error(`bad path step ${step}`);
  const [, namespace, name, predicates] = match;
  const wanted = [...predicates!.matchAll(PREDICATE)].map(([, attribute, value]) => ({ attribute: attribute!, value }));
  for (const child of element.children) {
    if (typeof child === 'string' || child.name !== name) continue;
    if (namespace !== undefined && child.getNS() !== namespace) continue;
    const fits = wanted.every(({ attribute, value }) =>
      value === undefined ? attribute in child.attrs : child.attrs[attribute] === value,
    );
    if (!fits) continue;
    if (rest.length === 0) yield child;
    else yield* walk(child, rest.join(' > '), fill);
  }
}

/** The first element at `path` in `element`. */
export function find(element: Element, path: string, fill: Fill = (text) => text): Element | undefined {
  const found = walk(element, path, fill).next();
  return found.done ? undefined : found.value;
}

/** Whether `element` holds an element at `path`. */
export function holds(element: Element, path: string, fill: Fill = (text) => text): boolean {
  return !walk(element, path, fill).next().done;
}

/** Whether `stanza` is what `expected` describes. */
export function matchesStanza(stanza: Element, expected: ExpectedStanza, fill: Fill = (text) => text): boolean {
  if (stanza.name !== expected.name) return false;
  for (const [key, value] of Object.entries(expected.attrs ?? {})) if (stanza.attrs[key] !== fill(value)) return false;
  if (expected.error) {
    const error = stanza.getChild('error');
    if (!error || (expected.error.type && error.attrs.type !== expected.error.type)) return false;
    if (!error.getChild(expected.error.condition, 'urn:ietf:params:xml:ns:xmpp-stanzas')) return false;
  }
  if (expected.text !== undefined && stanza.getText() !== fill(expected.text)) return false;
  for (const [path, text] of Object.entries(expected.texts ?? {})) {
    if (find(stanza, path, fill)?.getText() !== fill(text)) return false;
  }
  return (
    (expected.contains ?? []).every((path) => holds(stanza, path, fill)) &&
    !(expected.lacks ?? []).some((path) => holds(stanza, path, fill))
  );
}

/**
 * A short description of `stanza` for a failure message: its name, attributes and children's
 * names, since a stanza may nest deeper than a recursive printer goes.
 */
export function describeStanza(stanza: Element): string {
  const children = stanza.children.map((child) => (typeof child === 'string' ? '#text' : child.name));
  return `${stanza.name} ${JSON.stringify(stanza.attrs)} [${children.join(' ')}]`;
}
