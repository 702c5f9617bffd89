import { describe, expect, it } from 'vitest';
import { stickyNoteShape } from '../plugins/stickyNote.js';
import { registerBuiltinShapes } from '../render/builtinShapes.js';
import { ShapeRegistry } from '../render/ShapeRegistry.js';
import { styleFields, styleOfShape, stylesOf } from './style.js';

const registry = new ShapeRegistry();
registerBuiltinShapes(registry);
registry.register(stickyNoteShape);

describe('styles', () => {
  it('offers each kind the styles it takes', () => {
    expect(stylesOf(registry.get('stroke')!)).toEqual(['color', 'width', 'dash', 'opacity']);
    expect(stylesOf(registry.get('rect')!)).toContain('fill');
    expect(stylesOf(registry.get('text')!)).toContain('fontSize');
    expect(stylesOf(registry.get('sticky-note')!)).toEqual(expect.arrayContaining(['fill', 'fontSize']));
  });

  it('writes a style to the fields each kind keeps it in', () => {
    const style = { color: '#b3261e', fill: '#a5d8ff', fontSize: 28, opacity: 0.5 };
    expect(styleFields(registry.get('text')!, style)).toEqual({ color: '#b3261e', opacity: 0.5, size: 28 });
    expect(styleFields(registry.get('rect')!, style)).toEqual({ color: '#b3261e', opacity: 0.5, fill: '#a5d8ff' });
    expect(styleFields(registry.get('line')!, style)).toEqual({ color: '#b3261e', opacity: 0.5 });
  });

  it('reads a shape back as the style it shows, "none" for a shape without fill', () => {
    const rect = registry.sanitize('r', { type: 'rect', x: 0, y: 0, w: 10, h: 10, fill: 'none', dash: 'dotted' })!;
    expect(rect.fill).toBeUndefined();
    expect(styleOfShape(registry.get('rect')!, rect)).toMatchObject({ fill: 'none', dash: 'dotted', opacity: 1 });
    const odd = registry.sanitize('r', { type: 'rect', x: 0, y: 0, w: 10, h: 10, dash: 'wavy', opacity: 7 })!;
    expect([odd.dash, odd.opacity]).toEqual(['solid', 1]);
  });
});
