import type { Element as DomElement, Node as DomNode } from '@xmldom/xmldom';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) =>
  escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

/**
 * A synchronized DOM as XML text that reads back as the same tree: every element in the
 * namespace it has, so a child in no namespace under an SVG element says `xmlns=""`, and every
 * prefix declared where it is first used.
 */
export function serializeDom(root: DomElement): string {
  return serializeNode(root, new Map([['', '']]));
}

function serializeNode(node: DomNode, scope: ReadonlyMap<string, string>): string {
  if (node.nodeType === TEXT_NODE) return escapeText(node.nodeValue ?? '');
  if (node.nodeType !== ELEMENT_NODE) return '';
  const element = node as DomElement;
  const inner = new Map(scope);
  const declarations: string[] = [];
  const declare = (prefix: string, namespace: string) => {
    if (inner.get(prefix) === namespace) return;
    inner.set(prefix, namespace);
    declarations.push(` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttribute(namespace)}"`);
  };
  declare(element.prefix ?? '', element.namespaceURI ?? '');
  const attributes: string[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i)!;
    if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns') continue;
    if (attribute.prefix && attribute.namespaceURI) declare(attribute.prefix, attribute.namespaceURI);
    attributes.push(` ${attribute.name}="${escapeAttribute(attribute.value)}"`);
  }
  let children = '';
  for (let child = element.firstChild; child; child = child.nextSibling) children += serializeNode(child, inner);
  const open = `<${element.tagName}${declarations.join('')}${attributes.join('')}`;
  return children ? `${open}>${children}</${element.tagName}>` : `${open}/>`;
}
