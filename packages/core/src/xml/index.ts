import xmppXml, { Element } from '@xmpp/xml';

export { Element };
/** Attribute values; `undefined` and `null` attributes are left out. */
export type XmlAttributes = Record<string, string | number | undefined | null>;
/** Children; `undefined`, `null` and `false` are left out. */
export type XmlChild = Element | string | undefined | null | false;

/** Builds an XML element: `xml(name, attrs, ...children)` (xmpp.js / ltx). */
export const xml = xmppXml as unknown as (name: string, attrs?: XmlAttributes, ...children: XmlChild[]) => Element;

/** First child element with this local name, in any namespace (ejabberd 23.01 mixes MIX namespaces). */
export function childByLocalName(parent: Element, localName: string): Element | undefined {
  for (const child of parent.children) {
    if (typeof child !== 'string' && localNameOf(child) === localName) return child;
  }
  return undefined;
}

/** Child elements, without text nodes. */
export function childElements(parent: Element): Element[] {
  return parent.children.filter((child): child is Element => typeof child !== 'string');
}

/** Local part of a possibly prefixed element name. */
export function localNameOf(element: Element): string {
  const colon = element.name.indexOf(':');
  return colon === -1 ? element.name : element.name.slice(colon + 1);
}

/** Concatenated text children of an element (not of its descendants). */
export function textOf(element: Element): string {
  let text = '';
  for (const child of element.children) if (typeof child === 'string') text += child;
  return text;
}
