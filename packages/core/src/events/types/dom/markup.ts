import { DOMParser, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom';
import { reject } from '../../rejection.js';
import type { AttributeSpec, NodeSpec } from './operations.js';
import { checkAttribute, checkElementName, checkReference } from './policy.js';

/** Bounds on one `insert-markup` fragment ([DOM4]). */
export const MARKUP_LIMITS = { maxNodes: 5000, maxDepth: 32 } as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/**
 * Parses an XML fragment into node specs with deterministic ids: the fragment's element
 * gets `id`, and each kept child `<parent id>.<index>` ([DOM4]). Document type declarations
 * and entity declarations are refused outright, so no entity is ever expanded.
 */
export function parseMarkup(markup: string, id: string): NodeSpec {
  if (/<!DOCTYPE|<!ENTITY/i.test(markup)) throw reject('forbidden', 'markup must not declare a DTD or entities');
  let root: DomElement | null;
  try {
    const parser = new DOMParser({
      // Warnings too: xmldom reports some not-well-formed input (unquoted attributes) only as
      // warnings, and a stricter parser elsewhere would refuse it, so replicas could differ.
      onError: (_level, message) => {
        throw new Error(message);
      },
    });
    root = parser.parseFromString(markup, 'text/xml').documentElement;
  } catch (error) {
    throw reject('invalid-payload', `markup is not well-formed XML: ${String(error).split('\n')[0]}`);
  }
  if (!root) throw reject('invalid-payload', 'markup has no element');
  const budget = { nodes: 0 };
  return convert(root, id, 1, budget)!;
}

/** Characters XML 1.0 does not allow, which a character reference like `&#0;` could smuggle in. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function checkChars(text: string): string {
  if (NOT_XML_CHAR.test(text)) throw reject('invalid-payload', 'markup holds characters XML does not allow');
  return text;
}

function convert(node: DomNode, id: string, depth: number, budget: { nodes: number }): NodeSpec | undefined {
  if (++budget.nodes > MARKUP_LIMITS.maxNodes)
    throw reject('oversized', `markup has more than ${MARKUP_LIMITS.maxNodes} nodes`);
  if (depth > MARKUP_LIMITS.maxDepth) throw reject('too-deep', `markup nests deeper than ${MARKUP_LIMITS.maxDepth}`);
  checkReference(id);
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
    return { kind: 'text', id, text: checkChars(node.nodeValue ?? '') };
  }
  if (node.nodeType !== ELEMENT_NODE) return undefined; // comments and processing instructions are dropped
  const element = node as DomElement;
  const attributes: AttributeSpec[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i)!;
    if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns') continue; // carried by namespaceURI
    attributes.push({
      name: checkAttribute(attribute.name, attribute.value),
      value: checkChars(attribute.value),
      ...(attribute.namespaceURI ? { ns: attribute.namespaceURI } : {}),
    });
  }
  const children: NodeSpec[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling) {
    const spec = convert(child, `${id}.${children.length}`, depth + 1, budget);
    if (spec) children.push(spec);
  }
  return {
    kind: 'element',
    id,
    name: checkElementName(element.tagName),
    ...(element.namespaceURI ? { ns: element.namespaceURI } : {}),
    attributes,
    children,
  };
}
