import type { Board } from '../model/Board.js';
import type { Shape } from '../model/shapes.js';
import type { ShapeRegistry } from './ShapeRegistry.js';

/**
 * Keeps an SVG group in step with the board, touching only the shapes a change named: with
 * thousands of strokes, a remote stroke growing point by point redraws one path per frame.
 */
export class ShapeLayer {
  readonly #elements = new Map<string, { element: SVGElement; shape: Shape }>();

  constructor(
    readonly group: SVGGElement,
    readonly board: Board,
    readonly registry: ShapeRegistry,
  ) {}

  /** Draws everything from scratch. */
  reset(): void {
    this.group.replaceChildren();
    this.#elements.clear();
    for (const shape of this.board.all()) this.#draw(shape, true);
  }

  /** Redraws the named shapes: new ones go on top, removed ones go away. */
  update(ids: Iterable<string>): void {
    let reorder = false;
    for (const id of ids) {
      const shape = this.board.get(id);
      const drawn = this.#elements.get(id);
      if (!shape) {
        drawn?.element.remove();
        this.#elements.delete(id);
        continue;
      }
      if (drawn && drawn.shape.z !== shape.z) reorder = true;
      this.#draw(shape, !drawn);
    }
    if (reorder) this.reset();
  }

  /** The element drawn for a shape. */
  elementOf(id: string): SVGElement | undefined {
    return this.#elements.get(id)?.element;
  }

  get count(): number {
    return this.#elements.size;
  }

  #draw(shape: Shape, append: boolean): void {
    const definition = this.registry.get(shape.type)!;
    const existing = this.#elements.get(shape.id)?.element;
    const element = definition.render(shape, existing);
    element.dataset.id = shape.id;
    if (existing && existing !== element) existing.replaceWith(element);
    else if (append || !existing) this.group.append(element);
    this.#elements.set(shape.id, { element, shape });
  }
}
