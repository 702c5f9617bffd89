// @ts-expect-error -- @xmpp/xml ships no type declarations for lib/parse.js
import parseXml from '@xmpp/xml/lib/parse.js';
import { describe, expect, it } from 'vitest';
import { type Element, xml } from '../../../xml/index.js';
import { MAX_OPERATIONS, NS_DOM, decodeOperations, encodeOperations } from './codec.js';
import type { DomOperation } from './operations.js';
import { reasonOf as rejectionOf } from '../../../testing/reasonOf.js';

const parse = parseXml as (text: string) => Element;
const ops = (...children: Element[]) => xml('ops', { xmlns: NS_DOM }, ...children);
const markupOp = (markup: string, id = 'm') => ops(xml('insert-markup', { parent: 'root', id }, markup));

const reasonOf = (element: Element): string | undefined => rejectionOf(() => decodeOperations(element));

const EVERY_KIND: DomOperation[] = [
  {
    op: 'insert',
    parent: 'root',
    before: 'b-1',
    node: {
      kind: 'element',
      id: 'g1',
      name: 'svg:g',
      ns: 'http://www.w3.org/2000/svg',
      attributes: [
        { name: 'fill', value: 'red & "blue"' },
        { name: 'xlink:href', ns: 'http://www.w3.org/1999/xlink', value: '#shape' },
      ],
      children: [
        { kind: 'text', id: 'g1.t', text: ' a < b ' },
        { kind: 'element', id: 'g1.r', name: 'rect', attributes: [], children: [] },
      ],
    },
  },
  { op: 'insert', parent: 'g1', node: { kind: 'text', id: 'txt_2', text: 'plain' } },
  { op: 'remove', id: 'old:1' },
  { op: 'set-attribute', id: 'g1', name: 'stroke', value: '' },
  { op: 'set-attribute', id: 'g1', name: 'xlink:title', ns: 'http://www.w3.org/1999/xlink', value: 't' },
  { op: 'set-attribute', id: 'g1', name: 'fill' },
  { op: 'set-text', id: 'g1.t', text: 'new <text> & more' },
];

describe('DOM operations codec', () => {
  it('[DOM1] round-trips every operation kind', () => {
    const encoded = encodeOperations(EVERY_KIND);
    expect(encoded.name).toBe('ops');
    expect(encoded.attrs.xmlns).toBe(NS_DOM);
    expect(decodeOperations(encoded)).toEqual(EVERY_KIND);
  });

  it('[DOM1] round-trips every operation kind through XML text', () => {
    const text = encodeOperations(EVERY_KIND).toString();
    expect(decodeOperations(parse(text))).toEqual(EVERY_KIND);
  });

  it('[DOM1] writes the documented wire form', () => {
    const encoded = encodeOperations([
      {
        op: 'insert',
        parent: 'root',
        node: { kind: 'element', id: 'r', name: 'rect', attributes: [{ name: 'x', value: '1' }], children: [] },
      },
      { op: 'set-text', id: 't', text: 'hi' },
    ]);
    expect(encoded.toString()).toBe(
      '<ops xmlns="urn:xsync:dom:1"><insert parent="root"><element id="r" name="rect"><attr name="x" value="1"/></element></insert>' +
        '<set-text id="t">hi</set-text></ops>',
    );
  });

  it('[DOM4] decodes insert-markup into an insert with deterministic ids, dropping comments', () => {
    const encoded = encodeOperations([
      {
        op: 'insert-markup',
        parent: 'root',
        before: 'x',
        id: 'note',
        markup: '<g><!-- dropped --><a>t<b/></a><c/></g>',
      },
    ]);
    expect(decodeOperations(parse(encoded.toString()))).toEqual([
      {
        op: 'insert',
        parent: 'root',
        before: 'x',
        node: {
          kind: 'element',
          id: 'note',
          name: 'g',
          attributes: [],
          children: [
            {
              kind: 'element',
              id: 'note.0',
              name: 'a',
              attributes: [],
              children: [
                { kind: 'text', id: 'note.0.0', text: 't' },
                { kind: 'element', id: 'note.0.1', name: 'b', attributes: [], children: [] },
              ],
            },
            { kind: 'element', id: 'note.1', name: 'c', attributes: [], children: [] },
          ],
        },
      },
    ]);
  });

  it('[DOM4] refuses a DOCTYPE or entity declaration (billion laughs) as forbidden', () => {
    const laughs =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
    expect(reasonOf(markupOp(laughs))).toBe('forbidden');
    expect(reasonOf(markupOp('<!ENTITY x "y"><a/>'))).toBe('forbidden');
    expect(reasonOf(markupOp('<!doctype a><a/>'))).toBe('forbidden');
  });

  it.each(['<a><b></a>', '<a>', '', 'just text', '<a/><b/>', '<a>&undeclared;</a>', '<a x="1" x="2"/>'])(
    '[DOM4] refuses the markup %j, which is not well-formed, as invalid-payload',
    (markup) => {
      expect(reasonOf(markupOp(markup))).toBe('invalid-payload');
    },
  );

  it.each([
    ['a <script> element', '<g><script>alert(1)</script></g>'],
    ['a prefixed script element', '<svg:script xmlns:svg="http://www.w3.org/2000/svg"/>'],
    ['a <foreignObject> element', '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>'],
    ['an <iframe> element', '<g><iframe/></g>'],
    ['an onload attribute', '<svg onload="alert(1)"/>'],
    ['an ONCLICK attribute', '<g><rect ONCLICK="alert(1)"/></g>'],
    ['a javascript: href', '<a href="javascript:alert(1)"/>'],
    ['a javascript: URL with an embedded tab', '<a href="java&#9;script:alert(1)"/>'],
    ['a javascript: URL with leading space and upper case', '<a href="  JavaScript:alert(1)"/>'],
    [
      'a namespaced javascript: href',
      '<a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>',
    ],
    ['a data:text/html URL', '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>'],
  ])('[DOM5] refuses markup with %s as forbidden', (_, markup) => {
    expect(reasonOf(markupOp(markup))).toBe('forbidden');
  });

  it.each([
    ['an element node named script', xml('insert', { parent: 'root' }, xml('element', { id: 'e', name: 'script' }))],
    [
      'an element node named foreignObject',
      xml('insert', { parent: 'root' }, xml('element', { id: 'e', name: 'svg:foreignObject' })),
    ],
    [
      'an onload attribute',
      xml(
        'insert',
        { parent: 'root' },
        xml('element', { id: 'e', name: 'svg' }, xml('attr', { name: 'onload', value: 'x()' })),
      ),
    ],
    ['set-attribute of onclick', xml('set-attribute', { id: 'e', name: 'onclick', value: 'x()' })],
    ['set-attribute of a javascript: href', xml('set-attribute', { id: 'e', name: 'href', value: 'javascript:x()' })],
    [
      'set-attribute of a javascript: href with a tab',
      xml('set-attribute', { id: 'e', name: 'href', value: 'java\tscript:x()' }),
    ],
    ['set-attribute of xmlns', xml('set-attribute', { id: 'e', name: 'xmlns', value: 'urn:x' })],
    ['set-attribute of xmlns:x', xml('set-attribute', { id: 'e', name: 'xmlns:x', value: 'urn:x' })],
  ])('[DOM5] refuses %s as forbidden', (_, operation) => {
    expect(reasonOf(ops(operation))).toBe('forbidden');
  });

  it.each([
    ['with a space', 'a b'],
    ['empty', ''],
    ['257 characters long', 'i'.repeat(257)],
    ['with a slash', 'a/b'],
    ['with a non-ASCII letter', 'é'],
  ])('[DOM2] refuses an id %s as invalid-payload', (_, id) => {
    expect(reasonOf(ops(xml('remove', { id })))).toBe('invalid-payload');
    expect(reasonOf(ops(xml('set-text', { id }, 'x')))).toBe('invalid-payload');
    expect(reasonOf(ops(xml('insert', { parent: id }, xml('text', { id: 't' }, 'x'))))).toBe('invalid-payload');
    expect(reasonOf(ops(xml('insert', { parent: 'root', before: id }, xml('text', { id: 't' }, 'x'))))).toBe(
      'invalid-payload',
    );
    expect(reasonOf(ops(xml('insert', { parent: 'root' }, xml('element', { id, name: 'g' }))))).toBe('invalid-payload');
    expect(reasonOf(markupOp('<g/>', id))).toBe('invalid-payload');
  });

  it('[DOM2] gives new nodes ids of 64 characters at most, and names nodes by ids of 256 at most', () => {
    const long = 'i'.repeat(65);
    expect(reasonOf(ops(xml('insert', { parent: 'root' }, xml('element', { id: long, name: 'g' }))))).toBe(
      'invalid-payload',
    );
    expect(reasonOf(markupOp('<g/>', long))).toBe('invalid-payload');
    const reference = 'i'.repeat(256);
    expect(decodeOperations(ops(xml('remove', { id: reference })))).toEqual([{ op: 'remove', id: reference }]);
  });

  it('[DOM2] [DOM4] derives ids 32 levels deep under a 64-character id', () => {
    const id = 'i'.repeat(64);
    const markup = `${'<g>'.repeat(32)}${'</g>'.repeat(32)}`;
    const [operation] = decodeOperations(ops(xml('insert-markup', { parent: 'root', id }, markup)));
    let node = (operation as { node: { id: string; children: Array<{ id: string; children: unknown[] }> } }).node;
    for (let depth = 1; depth < 32; depth++) node = node.children[0] as typeof node;
    expect(node.id).toBe(`${id}${'.0'.repeat(31)}`);
  });

  it('[DOM2] accepts an id of 64 characters from the whole alphabet', () => {
    const id = 'Az09_.:-'.repeat(8);
    expect(decodeOperations(ops(xml('remove', { id })))).toEqual([{ op: 'remove', id }]);
  });

  it('[DOM2] refuses a missing id as invalid-payload', () => {
    expect(reasonOf(ops(xml('remove')))).toBe('invalid-payload');
    expect(reasonOf(ops(xml('insert', {}, xml('text', { id: 't' }))))).toBe('invalid-payload');
  });

  it.each([
    ['no operations', ops()],
    ['an unknown operation', ops(xml('delete', { id: 'a' }))],
    ['an insert without a node', ops(xml('insert', { parent: 'root' }))],
    [
      'an insert with two nodes',
      ops(xml('insert', { parent: 'root' }, xml('text', { id: 'a' }), xml('text', { id: 'b' }))),
    ],
    ['an unknown node kind', ops(xml('insert', { parent: 'root' }, xml('comment', { id: 'a' })))],
    [
      'an attr without value',
      ops(xml('insert', { parent: 'root' }, xml('element', { id: 'e', name: 'g' }, xml('attr', { name: 'x' })))),
    ],
    ['an invalid element name', ops(xml('insert', { parent: 'root' }, xml('element', { id: 'e', name: '1g' })))],
    ['an invalid attribute name', ops(xml('set-attribute', { id: 'e', name: 'a b', value: '1' }))],
  ])('refuses %s as invalid-payload', (_, element) => {
    expect(reasonOf(element)).toBe('invalid-payload');
  });

  it(`[DOM3] accepts ${MAX_OPERATIONS} operations and refuses more as oversized`, () => {
    const removes = (n: number) => Array.from({ length: n }, (_, i) => xml('remove', { id: `n${i}` }));
    expect(decodeOperations(ops(...removes(MAX_OPERATIONS)))).toHaveLength(MAX_OPERATIONS);
    expect(reasonOf(ops(...removes(MAX_OPERATIONS + 1)))).toBe('oversized');
  });
});
