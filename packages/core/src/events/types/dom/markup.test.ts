import { describe, expect, it } from 'vitest';
import { MARKUP_LIMITS, parseMarkup } from './markup.js';
import { reasonOf as rejectionOf } from '../../../testing/reasonOf.js';

const SVG = 'http://www.w3.org/2000/svg';
const XLINK = 'http://www.w3.org/1999/xlink';

const reasonOf = (markup: string, id = 'm'): string | undefined => rejectionOf(() => parseMarkup(markup, id));

/** `depth` nested `<n>` elements. */
const nested = (depth: number) => '<n>'.repeat(depth) + '</n>'.repeat(depth);

describe('parseMarkup', () => {
  it('[DOM4] gives the fragment element the id and each kept child <parent id>.<index>', () => {
    expect(parseMarkup('<g><a>t<b/></a><c x="1"/></g>', 'shape')).toEqual({
      kind: 'element',
      id: 'shape',
      name: 'g',
      attributes: [],
      children: [
        {
          kind: 'element',
          id: 'shape.0',
          name: 'a',
          attributes: [],
          children: [
            { kind: 'text', id: 'shape.0.0', text: 't' },
            { kind: 'element', id: 'shape.0.1', name: 'b', attributes: [], children: [] },
          ],
        },
        { kind: 'element', id: 'shape.1', name: 'c', attributes: [{ name: 'x', value: '1' }], children: [] },
      ],
    });
  });

  it('[DOM4] drops comments and processing instructions without using up an index', () => {
    const spec = parseMarkup('<g><!-- c --><a/><?pi data?><b/></g>', 'g');
    expect(spec.kind === 'element' && spec.children.map((child) => child.id)).toEqual(['g.0', 'g.1']);
  });

  it('keeps CDATA and whitespace as text nodes, with entities decoded', () => {
    const spec = parseMarkup('<g>\n <t>a &lt;&amp;&gt; b</t><![CDATA[<raw>]]></g>', 'g');
    expect(spec).toMatchObject({
      children: [
        { kind: 'text', id: 'g.0', text: '\n ' },
        { kind: 'element', id: 'g.1', children: [{ kind: 'text', id: 'g.1.0', text: 'a <&> b' }] },
        { kind: 'text', id: 'g.2', text: '<raw>' },
      ],
    });
  });

  it('carries namespaces on elements and attributes, and leaves out namespace declarations', () => {
    const spec = parseMarkup(
      `<svg xmlns="${SVG}" xmlns:xlink="${XLINK}" width="10"><use xlink:href="#a" xml:lang="en"/></svg>`,
      's',
    );
    expect(spec).toEqual({
      kind: 'element',
      id: 's',
      name: 'svg',
      ns: SVG,
      attributes: [{ name: 'width', value: '10' }],
      children: [
        {
          kind: 'element',
          id: 's.0',
          name: 'use',
          ns: SVG,
          attributes: [
            { name: 'xlink:href', value: '#a', ns: XLINK },
            { name: 'xml:lang', value: 'en', ns: 'http://www.w3.org/XML/1998/namespace' },
          ],
          children: [],
        },
      ],
    });
  });

  it('[DOM4] refuses DTDs and entity declarations as forbidden, before parsing', () => {
    expect(reasonOf('<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>')).toBe('forbidden');
    expect(reasonOf('<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg/>')).toBe('forbidden');
    expect(reasonOf('<!doctype g><g/>')).toBe('forbidden');
    expect(reasonOf('<!ENTITY a "x"><g/>')).toBe('forbidden');
  });

  it.each([
    '<a><b></a>',
    '<a>',
    '',
    '   ',
    'text',
    '<a/><b/>',
    '<a/>trailing',
    '<a>&nbsp;</a>',
    '<p:a/>',
    '<a b=1/>',
    '<a b/>',
    '<a>&#0;</a>',
  ])('refuses %j, which is not well-formed namespaced XML, as invalid-payload', (markup) => {
    expect(reasonOf(markup)).toBe('invalid-payload');
  });

  it(`[DOM4] accepts ${MARKUP_LIMITS.maxNodes} nodes and refuses more as oversized`, () => {
    const markup = (children: number) => `<g>${'<a/>'.repeat(children)}</g>`;
    expect(reasonOf(markup(MARKUP_LIMITS.maxNodes - 1))).toBeUndefined();
    expect(reasonOf(markup(MARKUP_LIMITS.maxNodes))).toBe('oversized');
  });

  it('[DOM4] counts text and comment nodes against the node limit', () => {
    expect(reasonOf(`<g>${'<!--c-->'.repeat(MARKUP_LIMITS.maxNodes)}</g>`)).toBe('oversized');
  });

  it(`[DOM4] accepts ${MARKUP_LIMITS.maxDepth} levels and refuses more as too-deep`, () => {
    expect(reasonOf(nested(MARKUP_LIMITS.maxDepth), 'x')).toBeUndefined();
    expect(reasonOf(nested(MARKUP_LIMITS.maxDepth + 1), 'x')).toBe('too-deep');
  });

  it.each([
    ['<script/>', '<g><script>alert(1)</script></g>'],
    ['<SCRIPT/>', '<SCRIPT/>'],
    ['<foreignObject/>', `<svg xmlns="${SVG}"><foreignObject><div/></foreignObject></svg>`],
    ['<embed/>', '<g><embed/></g>'],
    ['<object/>', '<object/>'],
    ['an onload attribute', `<svg xmlns="${SVG}" onload="alert(1)"/>`],
    ['an onmouseover attribute on a child', '<g><rect onmouseover="alert(1)"/></g>'],
    ['a javascript: href', '<a href="javascript:alert(1)"/>'],
    ['a javascript: xlink:href', `<a xmlns:xlink="${XLINK}" xlink:href="javascript:alert(1)"/>`],
    ['a javascript: URL with an embedded tab', '<a href="java&#9;script:alert(1)"/>'],
    ['a javascript: URL with an embedded newline', '<a href="javas&#10;cript:alert(1)"/>'],
    ['a javascript: URL with leading whitespace', '<a href=" &#13; javascript:alert(1)"/>'],
    ['a vbscript: URL', '<a href="VBScript:msgbox(1)"/>'],
    ['an animation setting a javascript: href', '<a><set attributeName="href" to="javascript:alert(1)"/></a>'],
  ])('[DOM5] refuses %s as forbidden', (_, markup) => {
    expect(reasonOf(markup)).toBe('forbidden');
  });

  it('[DOM5] refuses an animation whose value list holds a javascript: URL as forbidden', () => {
    // <animate> cycles href through every entry of values; the second one is a script URL.
    expect(reasonOf('<a><animate attributeName="href" values="#x;javascript:alert(1)" dur="1s"/></a>')).toBe(
      'forbidden',
    );
  });

  it('[DOM5] accepts URLs and text that only contain "javascript:" after the start', () => {
    expect(reasonOf('<a href="https://example.org/javascript:"/>')).toBeUndefined();
    expect(reasonOf('<a title="about javascript:"/>')).toBeUndefined();
    expect(reasonOf('<text>javascript:alert(1)</text>')).toBeUndefined();
  });
});
