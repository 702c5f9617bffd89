import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Box } from '../model/shapes.js';
import type { BoardPoint } from '../tools/tools.js';
import type { RemoteUser } from './toolbar.js';
import { type ScreenSize, type Viewport, centeredOn, pannedBy, showing, visibleBox, zoomedAt } from './viewport.js';

/** What a {@link ViewController} needs of the board it serves. */
export interface ViewOptions {
  /** The drawing surface, once rendered. */
  surface(): SVGSVGElement | undefined;
  /**
   * The view moved: the host tells the others what it shows ({@link ViewController.visible}),
   * once a frame at most, however often it moves.
   */
  changed(): void;
}

/**
 * Which part of the board this user sees: panning, zooming, fitting, going to someone's
 * pointer and following someone's view. The person moving the view stops following; the
 * others learn where it is.
 */
export class ViewController implements ReactiveController {
  #viewport: Viewport = { x: 0, y: 0, scale: 1 };
  #following: number | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ViewOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  get viewport(): Viewport {
    return this.#viewport;
  }

  /** Whose view this one follows, by awareness client id. */
  get following(): number | undefined {
    return this.#following;
  }

  /** The surface's size in pixels, once it is laid out. */
  get size(): ScreenSize | undefined {
    const rect = this.options.surface()?.getBoundingClientRect();
    return rect && rect.width > 0 && rect.height > 0 ? { width: rect.width, height: rect.height } : undefined;
  }

  /** The part of the board in view, in board units. */
  get visible(): Box | undefined {
    const size = this.size;
    return size && visibleBox(this.#viewport, size);
  }

  /** The board point in the middle of the view. */
  get center(): { x: number; y: number } {
    const { x, y, w, h } = visibleBox(this.#viewport, this.size ?? { width: 0, height: 0 });
    return { x: x + w / 2, y: y + h / 2 };
  }

  /** Where a pointer event is on the board, with the pen's pressure (0.5 for devices that do not tell). */
  toBoard(
    event: { clientX: number; clientY: number; pressure?: number; pointerType?: string },
    rect = this.options.surface()!.getBoundingClientRect(),
  ): BoardPoint {
    const { x, y, scale } = this.#viewport;
    const pressure = event.pointerType === 'pen' && event.pressure ? event.pressure : 0.5;
    return { x: x + (event.clientX - rect.left) / scale, y: y + (event.clientY - rect.top) / scale, pressure };
  }

  /** Shows another part of the board; the person moving it (`byUser`) stops following anyone. */
  set(view: Viewport, byUser = true): void {
    this.#viewport = view;
    if (byUser) this.#following = undefined;
    this.host.requestUpdate();
    this.options.changed();
  }

  panBy(dx: number, dy: number): void {
    this.set(pannedBy(this.#viewport, dx, dy));
  }

  /** Zooms keeping `at` (board units, default the view's middle) where it is on the screen. */
  zoomTo(scale: number, at = this.center): void {
    this.set(zoomedAt(this.#viewport, at, scale));
  }

  /** Centres the view on a board point, at the current zoom. */
  centerOn(point: { x: number; y: number }): void {
    const size = this.size;
    if (size) this.set(centeredOn(point, size, this.#viewport.scale));
  }

  /** Shows all of `box`, as large as fits up to `maxScale`; without a box, the board's origin at 100 %. */
  show(box: Box | undefined, maxScale = 1): void {
    const size = this.size;
    this.set(box && size ? showing(box, size, maxScale) : { x: 0, y: 0, scale: 1 });
  }

  /** Follows someone's view from now on (or nobody), and moves there at once. */
  follow(clientId: number | undefined, users: readonly RemoteUser[]): void {
    this.#following = clientId;
    this.followFrom(users);
    this.host.requestUpdate();
  }

  /** The followed person's view moved, or people came and went: keep up, or stop once they are gone. */
  followFrom(users: readonly RemoteUser[]): void {
    if (this.#following === undefined) return;
    const followed = users.find((user) => user.clientId === this.#following);
    if (!followed) {
      this.#following = undefined;
      this.host.requestUpdate();
      return;
    }
    const size = this.size;
    if (followed.view && size) this.set(showing(followed.view, size), false);
  }
}
