import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Board } from '../model/Board.js';
import { copyText, pasteText } from '../model/commands.js';

/** What a {@link ClipboardController} needs of the board it serves. */
export interface ClipboardOptions {
  board(): Board | undefined;
  selection(): ReadonlySet<string>;
  select(ids: Iterable<string>): void;
  readOnly(): boolean;
  /** Places a pasted image file on the board. */
  addImage(file: File): void;
}

/** The event comes from a text box of the page (a shape's text, a field), which keeps its own clipboard. */
export function fromTextField(event: Event): boolean {
  return Boolean((event.composedPath()[0] as HTMLElement | null)?.closest?.('input, textarea, select'));
}

/**
 * Copy, cut and paste on the board: the selected shapes go to the clipboard as text another
 * board reads as it reads a peer (model/commands.ts); a paste adds shapes so copied, or an
 * image, and selects what it added.
 */
export class ClipboardController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: ClipboardOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('copy', this.#onCopy);
    this.host.addEventListener('cut', this.#onCopy);
    this.host.addEventListener('paste', this.#onPaste);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('copy', this.#onCopy);
    this.host.removeEventListener('cut', this.#onCopy);
    this.host.removeEventListener('paste', this.#onPaste);
  }

  readonly #onCopy = (event: ClipboardEvent): void => {
    const board = this.options.board();
    const selection = this.options.selection();
    if (!board || selection.size === 0 || fromTextField(event)) return;
    event.preventDefault();
    event.clipboardData?.setData('text/plain', copyText(board, selection));
    if (event.type === 'cut' && !this.options.readOnly()) {
      board.remove(selection);
      this.options.select([]);
    }
  };

  readonly #onPaste = (event: ClipboardEvent): void => {
    if (this.options.readOnly() || fromTextField(event)) return;
    const file = [...(event.clipboardData?.files ?? [])].find((candidate) => candidate.type.startsWith('image/'));
    if (file) {
      event.preventDefault();
      this.options.addImage(file);
      return;
    }
    const board = this.options.board();
    const pasted = board && pasteText(board, event.clipboardData?.getData('text/plain') ?? '');
    if (!pasted) return;
    event.preventDefault();
    this.options.select(pasted);
  };
}
