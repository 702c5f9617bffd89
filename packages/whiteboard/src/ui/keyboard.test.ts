import { describe, expect, it } from 'vitest';
import { commandFor } from './keyboard.js';

const press = (key: string, init: Partial<KeyboardEventInit> = {}) =>
  ({
    key,
    code: init.code ?? '',
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...init,
  }) as KeyboardEvent;
const tools = new Map([['p', 'pen']]);

describe('commandFor', () => {
  it('reads the shortcuts Excalidraw and tldraw users know', () => {
    expect(commandFor(press('z', { ctrlKey: true }), tools)).toBe('undo');
    expect(commandFor(press('Z', { ctrlKey: true, shiftKey: true }), tools)).toBe('redo');
    expect(commandFor(press('d', { metaKey: true }), tools)).toBe('duplicate');
    expect(commandFor(press('+', { ctrlKey: true, code: 'BracketRight' }), tools)).toBe('bring-to-front');
    expect(commandFor(press('!', { shiftKey: true, code: 'Digit1' }), tools)).toBe('zoom-to-fit');
    expect(commandFor(press('Backspace'), tools)).toBe('delete');
    expect(commandFor(press('p'), tools)).toEqual({ tool: 'pen' });
  });

  it('leaves other keys, and a tool key with Alt or Ctrl, to the page', () => {
    expect(commandFor(press('p', { altKey: true }), tools)).toBeUndefined();
    expect(commandFor(press('p', { ctrlKey: true }), tools)).toBeUndefined();
    expect(commandFor(press('q'), tools)).toBeUndefined();
  });
});
