import { DOMImplementation, type Document, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom';
import { EventRejectedError, reject } from '../../rejection.js';
import { parseMarkup } from './markup.js';
import { serializeDom } from './serialize.js';
import { type DomOperation, type ElementSpec, type NodeSpec, ROOT_ID } from './operations.js';

const TEXT_NODE = 3;

/**
 * An XML document whose nodes carry stable ids, changed only by {@link DomOperation}s.
 * Every replica that applies the same operations in channel order holds the same tree.
 */
export class DomState {
  readonly document: Document;
  readonly #nodes = new Map<string, DomNode>();
  readonly #ids = new WeakMap<DomNode, string>();

  constructor(rootName = 'root') {
    this.document = new DOMImplementation().createDocument(null, rootName, null);
    this.#register(ROOT_ID, this.document.documentElement!);
  }

  /** The node with this id. */
  node(id: string): DomNode | undefined {
    return this.#nodes.get(id);
  }

  /** The id of a node of this document. */
  idOf(node: DomNode): string | undefined {
    return this.#ids.get(node);
  }

  /** Number of nodes with ids, the root included. */
  get size(): number {
    return this.#nodes.size;
  }

  /** The document as XML text, namespaces as they are in the tree. */
  toString(): string {
    return serializeDom(this.document.documentElement!);
  }

  /** The whole tree with its node ids, for snapshots. */
  toSpec(): ElementSpec {
    return this.#spec(this.document.documentElement!) as ElementSpec;
  }

  /** A state holding the tree {@link toSpec} returned. Throws if the spec is not one. */
  static fromSpec(root: ElementSpec): DomState {
    if (root.kind !== 'element' || root.id !== ROOT_ID) throw new Error('not a DOM state spec');
    const state = new DomState(root.name);
    state.apply([
      ...root.attributes.map((attribute): DomOperation => ({ op: 'set-attribute', id: ROOT_ID, ...attribute })),
      ...root.children.map((node): DomOperation => ({ op: 'insert', parent: ROOT_ID, node })),
    ]);
    return state;
  }

  #spec(node: DomNode): NodeSpec {
    const id = this.#ids.get(node)!;
    if (node.nodeType === TEXT_NODE) return { kind: 'text', id, text: node.nodeValue ?? '' };
    const element = node as DomElement;
    const children: NodeSpec[] = [];
    for (let child = element.firstChild; child; child = child.nextSibling) children.push(this.#spec(child));
    return {
      kind: 'element',
      id,
      name: element.tagName,
      ...(element.namespaceURI && { ns: element.namespaceURI }),
      attributes: Array.from(element.attributes, (attribute) => ({
        name: attribute.name,
        ...(attribute.namespaceURI && { ns: attribute.namespaceURI }),
        value: attribute.value,
      })),
      children,
    };
  }

  /**
   * Applies operations in order, all or none: if one fails, the ones before it are undone
   * and a `conflict` rejection is thrown.
   */
  apply(operations: readonly DomOperation[]): void {
    const undo: Array<() => void> = [];
    try {
      for (const operation of operations) undo.push(this.#applyOne(operation));
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      // xmldom throws DOMExceptions (NamespaceError…) for names it cannot place: a conflict too.
      throw error instanceof EventRejectedError ? error : reject('conflict', `DOM operation failed: ${String(error)}`);
    }
  }

  #applyOne(operation: DomOperation): () => void {
    switch (operation.op) {
      case 'insert':
        return this.#insert(operation.parent, operation.before, operation.node);
      case 'insert-markup':
        return this.#insert(operation.parent, operation.before, parseMarkup(operation.markup, operation.id));
      case 'remove':
        return this.#remove(operation.id);
      case 'set-attribute':
        return this.#setAttribute(operation.id, operation.name, operation.ns, operation.value);
      case 'set-text':
        return this.#setText(operation.id, operation.text);
    }
  }

  #insert(parentId: string, beforeId: string | undefined, spec: NodeSpec): () => void {
    const parent = this.#element(parentId);
    const before = beforeId === undefined ? null : this.#existing(beforeId);
    if (before && before.parentNode !== parent)
      throw reject('conflict', `node ${beforeId} is not a child of ${parentId}`);
    const node = this.#build(spec, new Set());
    parent.insertBefore(node, before);
    this.#registerTree(node);
    return () => {
      parent.removeChild(node);
      this.#unregisterTree(node);
    };
  }

  #remove(id: string): () => void {
    if (id === ROOT_ID) throw reject('conflict', 'the root cannot be removed');
    const node = this.#existing(id);
    const parent = node.parentNode!;
    const next = node.nextSibling;
    parent.removeChild(node);
    this.#unregisterTree(node);
    return () => {
      parent.insertBefore(node, next);
      this.#registerTree(node);
    };
  }

  #setAttribute(id: string, name: string, ns: string | undefined, value: string | undefined): () => void {
    const element = this.#element(id);
    const namespace = ns || null;
    const local = name.slice(name.indexOf(':') + 1);
    const had = namespace === null ? element.hasAttribute(name) : element.hasAttributeNS(namespace, local);
    const old = namespace === null ? element.getAttribute(name) : element.getAttributeNS(namespace, local);
    const write = (next: string | null) => {
      if (next === null) {
        if (namespace === null) element.removeAttribute(name);
        else element.removeAttributeNS(namespace, local);
      } else if (namespace === null) element.setAttribute(name, next);
      else element.setAttributeNS(namespace, name, next);
    };
    write(value ?? null);
    return () => write(had ? old : null);
  }

  #setText(id: string, text: string): () => void {
    const node = this.#existing(id);
    if (node.nodeType !== TEXT_NODE) throw reject('conflict', `node ${id} is not a text node`);
    const old = node.nodeValue ?? '';
    const write = (value: string) => {
      (node as unknown as { data: string }).data = value;
      node.nodeValue = value;
    };
    write(text);
    return () => write(old);
  }

  #build(spec: NodeSpec, ids: Set<string>): DomNode {
    if (this.#nodes.has(spec.id) || ids.has(spec.id)) throw reject('conflict', `node id ${spec.id} is taken`);
    ids.add(spec.id);
    let node: DomNode;
    if (spec.kind === 'text') {
      node = this.document.createTextNode(spec.text);
    } else {
      const element = spec.ns
        ? this.document.createElementNS(spec.ns, spec.name)
        : this.document.createElement(spec.name);
      for (const attribute of spec.attributes) {
        if (attribute.ns) element.setAttributeNS(attribute.ns, attribute.name, attribute.value);
        else element.setAttribute(attribute.name, attribute.value);
      }
      for (const child of spec.children) element.appendChild(this.#build(child, ids));
      node = element;
    }
    this.#ids.set(node, spec.id);
    return node;
  }

  #existing(id: string): DomNode {
    const node = this.#nodes.get(id);
    if (!node) throw reject('conflict', `no node ${id}`);
    return node;
  }

  #element(id: string): DomElement {
    const node = this.#existing(id);
    if (node.nodeType === TEXT_NODE) throw reject('conflict', `node ${id} is not an element`);
    return node as DomElement;
  }

  #register(id: string, node: DomNode): void {
    this.#nodes.set(id, node);
    this.#ids.set(node, id);
  }

  #registerTree(node: DomNode): void {
    const id = this.#ids.get(node);
    if (id !== undefined) this.#nodes.set(id, node);
    for (let child = node.firstChild; child; child = child.nextSibling) this.#registerTree(child);
  }

  #unregisterTree(node: DomNode): void {
    const id = this.#ids.get(node);
    if (id !== undefined) this.#nodes.delete(id);
    for (let child = node.firstChild; child; child = child.nextSibling) this.#unregisterTree(child);
  }
}
