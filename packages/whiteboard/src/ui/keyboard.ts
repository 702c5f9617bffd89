/** What a key press asks the board to do. */
export type Command =
  | 'undo'
  | 'redo'
  | 'duplicate'
  | 'bring-to-front'
  | 'send-to-back'
  | 'select-all'
  | 'delete'
  | 'zoom-to-fit'
  | 'reset-zoom'
  | 'deselect'
  | { tool: string };

/**
 * The board's keyboard shortcuts, as Excalidraw and tldraw have them: Ctrl (⌘ on a Mac) with
 * Z, Shift+Z, Y, D, A, ] and [; Delete or Backspace; Shift+1 and Shift+0; Escape; and a tool's
 * single key. Keys are read by their place on the keyboard where layouts differ (brackets, digits).
 */
export function commandFor(event: KeyboardEvent, toolKeys: ReadonlyMap<string, string>): Command | undefined {
  const key = event.key.toLowerCase();
  const command = event.ctrlKey || event.metaKey;
  if (command) {
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'd') return 'duplicate';
    if (key === 'a') return 'select-all';
    if (event.code === 'BracketRight') return 'bring-to-front';
    if (event.code === 'BracketLeft') return 'send-to-back';
    return undefined;
  }
  if (key === 'delete' || key === 'backspace') return 'delete';
  if (event.shiftKey && event.code === 'Digit1') return 'zoom-to-fit';
  if (event.shiftKey && event.code === 'Digit0') return 'reset-zoom';
  if (key === 'escape') return 'deselect';
  const tool = event.altKey ? undefined : toolKeys.get(key);
  return tool ? { tool } : undefined;
}
