import { type ReactiveController, type ReactiveControllerHost, nothing } from 'lit';
import { renderTextEditor } from './overlays.js';
import type { ViewController } from './ViewController.js';

/** What a {@link TextController} needs of the board it serves. */
export interface TextOptions {
  view: ViewController;
  /** Where the surface and the host are on the page, to place the text box over the board. */
  surfaceBox(): DOMRect;
  hostBox(): DOMRect;
  /** The text box closed: the board takes the keyboard back. */
  done(): void;
}

interface Prompt {
  point: { x: number; y: number };
  initial: string;
  resolve: (text: string | undefined) => void;
}

/**
 * Text written in place: a box over the board where the text goes, opened by a tool or a
 * double click, that answers with what was written (trailing blanks trimmed), or `undefined`
 * for nothing. One box at a time: opening another, or the board going away, answers the first.
 */
export class TextController implements ReactiveController {
  #prompt: Prompt | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: TextOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  /** A text box is open. */
  get open(): boolean {
    return this.#prompt !== undefined;
  }

  /** Opens the box at a board point, holding `initial`; resolves when it closes. */
  ask(point: { x: number; y: number }, initial = ''): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.#prompt?.resolve(undefined);
      this.#prompt = { point, initial, resolve };
      this.host.requestUpdate();
    });
  }

  /** Closes an open box without text, so that whoever waits for it goes on. */
  cancel(): void {
    if (this.#prompt) this.#finish(undefined);
  }

  render() {
    const prompt = this.#prompt;
    if (!prompt) return nothing;
    const [surface, host] = [this.options.surfaceBox(), this.options.hostBox()];
    const { x, y, scale } = this.options.view.viewport;
    const left = surface.left - host.left + (prompt.point.x - x) * scale;
    const top = surface.top - host.top + (prompt.point.y - y) * scale;
    return renderTextEditor({ left, top }, prompt.initial, (value) => this.#finish(value));
  }

  #finish(value: string | undefined): void {
    const prompt = this.#prompt;
    this.#prompt = undefined;
    prompt?.resolve(value && value.trim() ? value.replace(/\s+$/, '') : undefined);
    if (prompt) this.options.done();
    this.host.requestUpdate();
  }
}
