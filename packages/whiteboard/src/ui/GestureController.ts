import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import type { Tool, ToolContext } from '../tools/tools.js';
import type { FrameWork } from './frames.js';
import type { ViewController } from './ViewController.js';

/** What a {@link GestureController} needs of the board it serves. */
export interface GestureOptions {
  surface(): SVGSVGElement;
  tool(): Tool;
  /** The chosen tool's view of the board, or `undefined` before the board is connected. */
  context(): ToolContext | undefined;
  /** Gestures pan instead of drawing. */
  readOnly(): boolean;
  awareness(): Awareness | undefined;
  view: ViewController;
  frames: FrameWork;
}

/**
 * Pointer gestures on the surface: a drag goes to the chosen tool, or pans (middle button,
 * Space held, or a read-only board); the wheel scrolls, and zooms with Ctrl (⌘) as pinching
 * does. Where this user's pointer is, and whether they are drawing, go to the others through
 * awareness, once per frame.
 */
export class GestureController implements ReactiveController {
  #gesture: { pointerId: number; panning: boolean; last: { x: number; y: number } } | undefined;
  #spaceHeld = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: GestureOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#gesture = undefined;
    this.#spaceHeld = false;
  }

  /** A drag is panning the view. */
  get panning(): boolean {
    return this.#gesture?.panning ?? false;
  }

  /** Space held turns drags into panning, as in every drawing program. */
  spaceKey(down: boolean): void {
    this.#spaceHeld = down;
  }

  pointerDown(event: PointerEvent): void {
    const context = this.options.context();
    if (!context) return;
    const surface = this.options.surface();
    surface.focus();
    surface.setPointerCapture(event.pointerId);
    const panning = event.button === 1 || this.#spaceHeld || this.options.readOnly();
    this.#gesture = { pointerId: event.pointerId, panning, last: { x: event.clientX, y: event.clientY } };
    if (panning) {
      this.host.requestUpdate();
      return;
    }
    this.options.awareness()?.setLocalStateField('drawing', true);
    this.options.tool().down(this.options.view.toBoard(event), context, event);
  }

  pointerMove(event: PointerEvent): void {
    const { view, frames } = this.options;
    // One layout read per event, however many samples it carries.
    const rect = this.options.surface().getBoundingClientRect();
    const point = view.toBoard(event, rect);
    frames.schedule('pointer', () =>
      this.options.awareness()?.setLocalStateField('pointer', { x: point.x, y: point.y }),
    );
    const gesture = this.#gesture;
    const context = this.options.context();
    if (!gesture || gesture.pointerId !== event.pointerId || !context) return;
    if (gesture.panning) {
      view.panBy(gesture.last.x - event.clientX, gesture.last.y - event.clientY);
      gesture.last = { x: event.clientX, y: event.clientY };
      return;
    }
    // Pens and touch screens deliver more points than frames: use them all.
    const tool = this.options.tool();
    for (const sample of event.getCoalescedEvents?.() ?? [event]) tool.move(view.toBoard(sample, rect), context, event);
  }

  pointerUp(event: PointerEvent): void {
    const gesture = this.#gesture;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    this.#gesture = undefined;
    // What the last moves asked for lands before the gesture ends.
    this.options.frames.flush();
    const context = this.options.context();
    if (!gesture.panning && context) {
      this.options.awareness()?.setLocalStateField('drawing', false);
      this.options.tool().up(this.options.view.toBoard(event), context, event);
    }
    this.host.requestUpdate();
  }

  wheel(event: WheelEvent): void {
    event.preventDefault();
    const { view } = this.options;
    if (event.ctrlKey || event.metaKey) {
      view.zoomTo(view.viewport.scale * Math.exp(-event.deltaY / 300), view.toBoard(event));
    } else {
      view.panBy(event.deltaX, event.deltaY);
    }
  }
}
