import { type Element, childElements, textOf, xml } from '../../../xml/index.js';
import { reject } from '../../rejection.js';
import { parseMarkup } from './markup.js';
import type { AttributeSpec, DomOperation, NodeSpec } from './operations.js';
import { checkAttribute, checkElementName, checkId, checkQualified, checkReference } from './policy.js';

export const NS_DOM = 'urn:xsync:dom:1';

/** Most operations in one event ([DOM3]). */
export const MAX_OPERATIONS = 500;

export function encodeOperations(operations: DomOperation[]): Element {
  return xml('ops', { xmlns: NS_DOM }, ...operations.map(encodeOperation));
}

function encodeOperation(operation: DomOperation): Element {
  switch (operation.op) {
    case 'insert':
      return xml('insert', { parent: operation.parent, before: operation.before }, encodeNode(operation.node));
    case 'insert-markup':
      return xml(
        'insert-markup',
        { parent: operation.parent, before: operation.before, id: operation.id },
        operation.markup,
      );
    case 'remove':
      return xml('remove', { id: operation.id });
    case 'set-attribute':
      return xml('set-attribute', { id: operation.id, name: operation.name, ns: operation.ns, value: operation.value });
    case 'set-text':
      return xml('set-text', { id: operation.id }, operation.text);
  }
}

function encodeNode(node: NodeSpec): Element {
  if (node.kind === 'text') return xml('text', { id: node.id }, node.text);
  return xml(
    'element',
    { id: node.id, name: node.name, ns: node.ns },
    ...node.attributes.map((attribute) =>
      xml('attr', { name: attribute.name, ns: attribute.ns, value: attribute.value }),
    ),
    ...node.children.map(encodeNode),
  );
}

export function decodeOperations(element: Element): DomOperation[] {
  const children = childElements(element);
  if (children.length === 0) throw reject('invalid-payload', 'no DOM operations');
  if (children.length > MAX_OPERATIONS) throw reject('oversized', `more than ${MAX_OPERATIONS} DOM operations`);
  return children.map(decodeOperation);
}

function decodeOperation(element: Element): DomOperation {
  const attrs = element.attrs as Record<string, string | undefined>;
  switch (element.name) {
    case 'insert': {
      const nodes = childElements(element);
      if (nodes.length !== 1) throw reject('invalid-payload', '<insert/> holds exactly one node');
      return { op: 'insert', parent: checkReference(attrs.parent), ...before(attrs), node: decodeNode(nodes[0]!) };
    }
    case 'insert-markup':
      // Parsed here, so bad markup is refused on receipt and replicas only ever apply node specs.
      return {
        op: 'insert',
        parent: checkReference(attrs.parent),
        ...before(attrs),
        node: parseMarkup(textOf(element), checkId(attrs.id)),
      };
    case 'remove':
      return { op: 'remove', id: checkReference(attrs.id) };
    case 'set-attribute':
      return checkQualified({
        op: 'set-attribute' as const,
        id: checkReference(attrs.id),
        name: checkAttribute(attrs.name, attrs.value),
        ...(attrs.ns && { ns: attrs.ns }),
        ...(attrs.value !== undefined && { value: attrs.value }),
      });
    case 'set-text':
      return { op: 'set-text', id: checkReference(attrs.id), text: textOf(element) };
    default:
      throw reject('invalid-payload', `unknown DOM operation <${element.name}/>`);
  }
}

function decodeNode(element: Element): NodeSpec {
  const attrs = element.attrs as Record<string, string | undefined>;
  if (element.name === 'text') return { kind: 'text', id: checkId(attrs.id), text: textOf(element) };
  if (element.name !== 'element') throw reject('invalid-payload', `unknown node kind <${element.name}/>`);
  const attributes: AttributeSpec[] = [];
  const children: NodeSpec[] = [];
  for (const child of childElements(element)) {
    if (child.name === 'attr') {
      const { name, ns, value } = child.attrs as Record<string, string | undefined>;
      if (value === undefined) throw reject('invalid-payload', '<attr/> needs a value');
      attributes.push(checkQualified({ name: checkAttribute(name, value), value, ...(ns && { ns }) }));
    } else {
      children.push(decodeNode(child));
    }
  }
  return checkQualified({
    kind: 'element' as const,
    id: checkId(attrs.id),
    name: checkElementName(attrs.name),
    ...(attrs.ns && { ns: attrs.ns }),
    attributes,
    children,
  });
}

function before(attrs: Record<string, string | undefined>): { before?: string } {
  return attrs.before === undefined ? {} : { before: checkReference(attrs.before) };
}
