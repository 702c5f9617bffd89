import type { Board } from '../model/Board.js';
import type { Shape } from '../model/shapes.js';
import { type ShapeRegistry, renderShape } from './ShapeRegistry.js';

/** Milliseconds without changes after which a shape leaves the live layer. */
const SETTLE_MS = 400;

interface Drawn {
  element: SVGElement;
  shape: Shape;
  /** Pending move back to the settled layer. */
  settle: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Keeps two SVG groups in step with the board, touching only the shapes a change named. Shapes
 * that are changing (a stroke growing point by point, a shape being dragged) are drawn in a
 * small live layer, so the settled layer, with its thousands of strokes, is neither redrawn
 * nor repainted; they return to it once they have been still for a moment.
 */
export class ShapeLayer {
  readonly #drawn = new Map<string, Drawn>();

  constructor(
    readonly settled: SVGGElement,
    readonly live: SVGGElement,
    readonly board: Board,
    readonly registry: ShapeRegistry,
  ) {}

  /** Draws everything from scratch, all settled. */
  reset(): void {
    for (const drawn of this.#drawn.values()) clearTimeout(drawn.settle);
    this.settled.replaceChildren();
    this.live.replaceChildren();
    this.#drawn.clear();
    for (const shape of this.board.all()) {
      const element = this.#render(shape, undefined);
      this.settled.append(element);
      this.#drawn.set(shape.id, { element, shape, settle: undefined });
    }
  }

  /** Redraws the named shapes in the live layer; removed ones go away. */
  update(ids: Iterable<string>): void {
    for (const id of ids) {
      const shape = this.board.get(id);
      const drawn = this.#drawn.get(id);
      if (!shape) {
        if (drawn) {
          clearTimeout(drawn.settle);
          drawn.element.remove();
          this.#drawn.delete(id);
        }
        continue;
      }
      const element = this.#render(shape, drawn?.element);
      if (drawn && drawn.element !== element) drawn.element.replaceWith(element);
      if (element.parentNode !== this.live) this.live.append(element);
      clearTimeout(drawn?.settle);
      const entry: Drawn = { element, shape, settle: undefined };
      entry.settle = setTimeout(() => this.#settle(entry), SETTLE_MS);
      this.#drawn.set(id, entry);
    }
  }

  /** The element drawn for a shape. */
  elementOf(id: string): SVGElement | undefined {
    return this.#drawn.get(id)?.element;
  }

  get count(): number {
    return this.#drawn.size;
  }

  /** Stops pending moves; the groups stay as they are. */
  destroy(): void {
    for (const drawn of this.#drawn.values()) clearTimeout(drawn.settle);
  }

  /** Puts a still shape back among the settled ones, in stacking order. */
  #settle(entry: Drawn): void {
    entry.settle = undefined;
    if (this.#drawn.get(entry.shape.id) !== entry) return;
    let before: Element | null = null;
    for (let node = this.settled.lastElementChild; node; node = node.previousElementSibling) {
      const other = this.#drawn.get((node as SVGElement).dataset.id ?? '');
      if (!other || other.shape.z <= entry.shape.z) break;
      before = node;
    }
    this.settled.insertBefore(entry.element, before);
  }

  #render(shape: Shape, existing: SVGElement | undefined): SVGElement {
    const element = renderShape(this.registry.get(shape.type)!, shape, existing);
    element.dataset.id = shape.id;
    return element;
  }
}
