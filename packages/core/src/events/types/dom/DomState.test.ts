import { describe, expect, it } from 'vitest';
import { type Element, xml } from '../../../xml/index.js';
import { EventRejectedError } from '../../rejection.js';
import { NS_DOM, decodeOperations } from './codec.js';
import { DomState } from './DomState.js';
import { domOperations } from './index.js';
import { type DomOperation, type NodeSpec, ROOT_ID } from './operations.js';
import { reasonOf as rejectionOf } from '../../../testing/reasonOf.js';

const el = (id: string, name: string, attributes: Record<string, string> = {}, ...children: NodeSpec[]): NodeSpec => ({
  kind: 'element',
  id,
  name,
  attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value })),
  children,
});
const text = (id: string, value: string): NodeSpec => ({ kind: 'text', id, text: value });
const insert = (parent: string, node: NodeSpec, before?: string): DomOperation => ({
  op: 'insert',
  parent,
  node,
  ...(before && { before }),
});

const reasonOf = (state: DomState, operations: DomOperation[]): string | undefined =>
  rejectionOf(() => state.apply(operations));

/** <root><g fill="red"><t>hello</t></g><r/></root> with ids g, t, t.0, r. */
function sample(): DomState {
  const state = new DomState();
  state.apply([
    insert(ROOT_ID, el('g', 'g', { fill: 'red' }, el('t', 't', {}, text('t.0', 'hello')))),
    insert(ROOT_ID, el('r', 'r')),
  ]);
  return state;
}

describe('DomState', () => {
  it('starts with the root element', () => {
    const state = new DomState();
    expect(state.toString()).toBe('<root/>');
    expect(state.size).toBe(1);
    expect(state.node(ROOT_ID)).toBe(state.document.documentElement);
    expect(state.idOf(state.document.documentElement!)).toBe(ROOT_ID);
    expect(new DomState('svg').toString()).toBe('<svg/>');
  });

  it('inserts a subtree and registers every id', () => {
    const state = sample();
    expect(state.toString()).toBe('<root><g fill="red"><t>hello</t></g><r/></root>');
    expect(state.size).toBe(5);
    expect(state.node('t.0')?.nodeValue).toBe('hello');
    expect(state.idOf(state.node('t')!.parentNode!)).toBe('g');
  });

  it('inserts before a sibling', () => {
    const state = sample();
    state.apply([insert(ROOT_ID, el('first', 'first'), 'g'), insert(ROOT_ID, el('mid', 'mid'), 'r')]);
    expect(state.toString()).toBe('<root><first/><g fill="red"><t>hello</t></g><mid/><r/></root>');
  });

  it('inserts namespaced elements and attributes', () => {
    const state = new DomState();
    const svg = 'http://www.w3.org/2000/svg';
    const xlink = 'http://www.w3.org/1999/xlink';
    state.apply([
      insert(ROOT_ID, {
        kind: 'element',
        id: 'u',
        name: 'use',
        ns: svg,
        attributes: [{ name: 'xlink:href', ns: xlink, value: '#a' }],
        children: [],
      }),
    ]);
    expect(state.toString()).toBe(`<root><use xmlns="${svg}" xmlns:xlink="${xlink}" xlink:href="#a"/></root>`);
  });

  it('writes a child in no namespace under an SVG element with xmlns="", so it reads back the same', () => {
    const state = new DomState();
    state.apply([
      {
        op: 'insert-markup',
        parent: ROOT_ID,
        id: 's',
        markup: '<svg xmlns="http://www.w3.org/2000/svg"><g><plain xmlns="">x &amp; y</plain></g></svg>',
      },
    ]);
    const text = state.toString();
    expect(text).toBe(
      '<root><svg xmlns="http://www.w3.org/2000/svg"><g><plain xmlns="">x &amp; y</plain></g></svg></root>',
    );
    const again = new DomState();
    again.apply([{ op: 'insert-markup', parent: ROOT_ID, id: 's', markup: text.slice(6, -7) }]);
    expect(again.toSpec()).toEqual(state.toSpec());
  });

  it('[DOM4] applies insert-markup with the deterministic ids', () => {
    const state = new DomState();
    state.apply([{ op: 'insert-markup', parent: ROOT_ID, id: 'm', markup: '<g><a>x</a><!-- c --><b/></g>' }]);
    expect(state.toString()).toBe('<root><g><a>x</a><b/></g></root>');
    expect(state.node('m.0.0')?.nodeValue).toBe('x');
    expect(state.node('m.1')?.nodeName).toBe('b');
    expect(state.size).toBe(5);
  });

  it('sets, replaces and removes attributes', () => {
    const state = sample();
    state.apply([{ op: 'set-attribute', id: 'r', name: 'x', value: '1' }]);
    state.apply([{ op: 'set-attribute', id: 'g', name: 'fill', value: 'blue' }]);
    expect(state.toString()).toBe('<root><g fill="blue"><t>hello</t></g><r x="1"/></root>');
    state.apply([{ op: 'set-attribute', id: 'g', name: 'fill' }]);
    expect(state.toString()).toBe('<root><g><t>hello</t></g><r x="1"/></root>');
  });

  it('sets and removes a namespaced attribute', () => {
    const state = sample();
    const xlink = 'http://www.w3.org/1999/xlink';
    state.apply([{ op: 'set-attribute', id: 'r', name: 'xlink:href', ns: xlink, value: '#a' }]);
    expect(state.toString()).toBe(
      `<root><g fill="red"><t>hello</t></g><r xmlns:xlink="${xlink}" xlink:href="#a"/></root>`,
    );
    state.apply([{ op: 'set-attribute', id: 'r', name: 'xlink:href', ns: xlink }]);
    expect(state.toString()).toBe('<root><g fill="red"><t>hello</t></g><r/></root>');
  });

  it('sets text, escaped on output', () => {
    const state = sample();
    state.apply([{ op: 'set-text', id: 't.0', text: 'a < b & c' }]);
    expect(state.toString()).toBe('<root><g fill="red"><t>a &lt; b &amp; c</t></g><r/></root>');
    expect(state.node('t.0')?.nodeValue).toBe('a < b & c');
  });

  it('removes a subtree and frees its ids for reuse', () => {
    const state = sample();
    state.apply([{ op: 'remove', id: 'g' }]);
    expect(state.toString()).toBe('<root><r/></root>');
    expect(state.size).toBe(2);
    for (const id of ['g', 't', 't.0']) expect(state.node(id)).toBeUndefined();
    state.apply([insert(ROOT_ID, el('t', 'again'))]);
    expect(state.node('t')?.nodeName).toBe('again');
  });

  it.each<[string, DomOperation[]]>([
    ['removing the root', [{ op: 'remove', id: ROOT_ID }]],
    ['removing a missing node', [{ op: 'remove', id: 'nope' }]],
    ['inserting into a missing parent', [insert('nope', el('x', 'x'))]],
    ['inserting into a text node', [insert('t.0', el('x', 'x'))]],
    ['inserting before a node of another parent', [insert(ROOT_ID, el('x', 'x'), 't')]],
    ['inserting before a missing node', [insert(ROOT_ID, el('x', 'x'), 'nope')]],
    ['inserting an id in use', [insert(ROOT_ID, el('r', 'x'))]],
    ['inserting the root id', [insert(ROOT_ID, el(ROOT_ID, 'x'))]],
    ['inserting a subtree that uses an id twice', [insert(ROOT_ID, el('x', 'x', {}, el('y', 'y'), text('y', 'dup')))]],
    ['setting an attribute of a text node', [{ op: 'set-attribute', id: 't.0', name: 'a', value: '1' }]],
    ['setting an attribute of a missing node', [{ op: 'set-attribute', id: 'nope', name: 'a', value: '1' }]],
    ['setting the text of an element', [{ op: 'set-text', id: 'g', text: 'x' }]],
    ['setting the text of a missing node', [{ op: 'set-text', id: 'nope', text: 'x' }]],
  ])('refuses %s as a conflict, changing nothing', (_, operations) => {
    const state = sample();
    const before = state.toString();
    expect(reasonOf(state, operations)).toBe('conflict');
    expect(state.toString()).toBe(before);
    expect(state.size).toBe(5);
    expect(state.node('x')).toBeUndefined();
  });

  it('applies a batch all or none: when the last operation fails, all earlier ones are undone', () => {
    const state = sample();
    const before = state.toString();
    const [g, t, text0, r] = ['g', 't', 't.0', 'r'].map((id) => state.node(id));
    const batch: DomOperation[] = [
      insert(ROOT_ID, el('n', 'n', { a: '1' }, text('n.0', 'new')), 'g'),
      { op: 'set-attribute', id: 'g', name: 'fill', value: 'blue' },
      { op: 'set-attribute', id: 'g', name: 'stroke', value: 'black' },
      { op: 'set-attribute', id: 'r', name: 'missing' },
      { op: 'set-text', id: 't.0', text: 'changed' },
      { op: 'remove', id: 't' },
      insert('g', el('t', 'reused-id')),
      { op: 'remove', id: 'r' },
      { op: 'set-text', id: 'n.0', text: 'newer' },
      { op: 'remove', id: 'no-such-node' },
    ];
    expect(reasonOf(state, batch)).toBe('conflict');
    expect(state.toString()).toBe(before);
    expect(state.size).toBe(5);
    expect(state.node('n')).toBeUndefined();
    expect(state.node('n.0')).toBeUndefined();
    // The very same nodes are back under their ids.
    expect(['g', 't', 't.0', 'r'].map((id) => state.node(id))).toEqual([g, t, text0, r]);
    expect(state.node('t')).toBe(t);
    // And the state still works.
    state.apply([{ op: 'set-text', id: 't.0', text: 'ok' }]);
    expect(state.toString()).toBe('<root><g fill="red"><t>ok</t></g><r/></root>');
  });

  it('lets later operations of a batch use nodes inserted by earlier ones', () => {
    const state = new DomState();
    state.apply([
      insert(ROOT_ID, el('a', 'a')),
      insert('a', text('a.t', 'one')),
      { op: 'set-text', id: 'a.t', text: 'two' },
      { op: 'set-attribute', id: 'a', name: 'k', value: 'v' },
    ]);
    expect(state.toString()).toBe('<root><a k="v">two</a></root>');
  });

  it('is the dom-ops reducer state', () => {
    const reducer = domOperations.reducer!;
    const state = reducer.init();
    expect(state).toBeInstanceOf(DomState);
    expect(reducer.apply(state, [insert(ROOT_ID, el('a', 'a'))])).toBe(state);
    expect(state.toString()).toBe('<root><a/></root>');
    expect(() => reducer.apply(state, [{ op: 'remove', id: ROOT_ID }])).toThrow(EventRejectedError);
  });

  it.each<[string, Element]>([
    [
      'an xml: attribute in another namespace',
      xml('set-attribute', { id: ROOT_ID, name: 'xml:lang', ns: 'urn:x', value: 'en' }),
    ],
    [
      'a prefixed attribute with an empty namespace',
      xml('set-attribute', { id: ROOT_ID, name: 'p:a', ns: '', value: 'v' }),
    ],
    [
      'an element named xmlns:x',
      xml('insert', { parent: ROOT_ID }, xml('element', { id: 'e', name: 'xmlns:x', ns: 'urn:x' })),
    ],
  ])('refuses a decoded operation with %s as a rejection, not a DOMException', (_, operation) => {
    const state = sample();
    const before = state.toString();
    // The EventType contract: decode refuses it, or the reducer refuses with EventRejectedError('conflict').
    expect(() => state.apply(decodeOperations(xml('ops', { xmlns: NS_DOM }, operation)))).toThrow(EventRejectedError);
    expect(state.toString()).toBe(before);
  });
});
