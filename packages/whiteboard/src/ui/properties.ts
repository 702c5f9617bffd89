import { html, nothing, svg } from 'lit';
import { DASHES, type Dash, type Shape } from '../model/shapes.js';
import {
  COLORS,
  FILLS,
  FONT_SIZES,
  type Style,
  type StyleName,
  WIDTHS,
  styleOfShape,
  stylesOf,
} from '../model/style.js';
import type { Alignment } from '../model/commands.js';
import type { ShapeRegistry } from '../render/ShapeRegistry.js';
import type { Tool } from '../tools/tools.js';
import { ICONS, icon } from './icons.js';

/** What the properties panel shows. */
export interface PropertiesState {
  /** The styles on offer: those the selected shapes (or the chosen tool's shapes) take. */
  offered: ReadonlySet<StyleName>;
  /** The values shown pressed: the first selected shape's, or the next shape's. */
  style: Partial<Style>;
  /** It edits selected shapes (and offers their layer and actions), not the next shape. */
  selection: boolean;
  /** How many shapes are selected: two line up, three space out. */
  count: number;
  /** Folded away to one button, so that it covers nothing of the board. */
  folded: boolean;
}

/** What its controls do. */
export interface PropertiesActions {
  restyle(style: Partial<Style>): void;
  bringToFront(): void;
  sendToBack(): void;
  duplicate(): void;
  remove(): void;
  align(to: Alignment): void;
  distribute(axis: 'x' | 'y'): void;
  /** Folds the panel away, or opens it again. */
  fold(folded: boolean): void;
}

const DASH_NAMES: Record<Dash, string> = { solid: 'Solid', dashed: 'Dashed', dotted: 'Dotted' };

/**
 * The properties panel, as in Excalidraw: stroke and fill colours, width, line style, font
 * size and opacity of the selection, or of the next shape while a drawing tool is chosen.
 * Every change to a selection is one undo step.
 */
export function renderProperties(state: PropertiesState, actions: PropertiesActions) {
  const { offered, style } = state;
  const name = state.selection ? 'Style of the selection' : 'Style of the next shape';
  if (state.folded) {
    return html`<button
      type="button"
      part="properties"
      class="icon-button properties-open"
      aria-expanded="false"
      aria-label=${name}
      title="${name}: show"
      @click=${() => actions.fold(false)}
    >
      ${icon(ICONS.style)}
    </button>`;
  }
  const choice = <T>(name: StyleName, value: T, label: string, content: unknown, className = '') =>
    html`<button
      type="button"
      class=${className}
      aria-label=${label}
      title=${label}
      aria-pressed=${style[name] === value ? 'true' : 'false'}
      @click=${() => actions.restyle({ [name]: value })}
    >
      ${content}
    </button>`;
  return html`<section part="properties" class="properties" aria-label=${name}>
    <button
      type="button"
      class="icon-button properties-fold"
      aria-expanded="true"
      aria-label="Hide the style panel"
      title="Hide the style panel"
      @click=${() => actions.fold(true)}
    >
      ${icon(ICONS.collapse)}
    </button>
    ${
      offered.has('color')
        ? html`<fieldset>
            <legend>Stroke</legend>
            ${COLORS.map((color) => swatch('color', color, style, actions))}
            <input
              type="color"
              aria-label="Another colour"
              title="Another colour"
              .value=${style.color ?? COLORS[0]!}
              @change=${(event: Event) => actions.restyle({ color: (event.target as HTMLInputElement).value })}
            />
          </fieldset>`
        : nothing
    }
    ${
      offered.has('fill')
        ? html`<fieldset>
            <legend>Fill</legend>
            ${choice('fill', 'none', 'No fill', html`<span class="no-fill" aria-hidden="true"></span>`, 'swatch')}
            ${FILLS.map((fill) => swatch('fill', fill, style, actions))}
          </fieldset>`
        : nothing
    }
    ${
      offered.has('width')
        ? html`<fieldset>
            <legend>Width</legend>
            ${WIDTHS.map(([width, name]) =>
              choice(
                'width',
                width,
                `Width: ${name}`,
                sample(svg`<line x1="3" y1="9" x2="21" y2="9" stroke-width=${Math.min(width, 6)}></line>`),
              ),
            )}
          </fieldset>`
        : nothing
    }
    ${
      offered.has('dash')
        ? html`<fieldset>
            <legend>Line</legend>
            ${DASHES.map((dash) =>
              choice(
                'dash',
                dash,
                `Line: ${DASH_NAMES[dash]}`,
                sample(svg`<line x1="3" y1="9" x2="21" y2="9" stroke-width="2" stroke-linecap="round"
                  stroke-dasharray=${dash === 'dashed' ? '5 4' : dash === 'dotted' ? '0 4' : 'none'}></line>`),
              ),
            )}
          </fieldset>`
        : nothing
    }
    ${
      offered.has('fontSize')
        ? html`<fieldset>
            <legend>Font size</legend>
            ${FONT_SIZES.map(([size, name]) => choice('fontSize', size, `Font size: ${name}`, name === 'Extra large' ? 'XL' : name[0]))}
          </fieldset>`
        : nothing
    }
    ${
      offered.has('opacity')
        ? html`<label class="opacity">
            <span>Opacity</span>
            <input
              type="range"
              min="10"
              max="100"
              step="10"
              aria-label="Opacity"
              .value=${String(Math.round((style.opacity ?? 1) * 100))}
              @change=${(event: Event) => actions.restyle({ opacity: Number((event.target as HTMLInputElement).value) / 100 })}
            />
          </label>`
        : nothing
    }
    ${state.count >= 2 ? renderAlignment(state.count, actions) : nothing}
    ${
      state.selection
        ? html`<fieldset>
            <legend>Layers and actions</legend>
            ${action(ICONS.back, 'Send to back (Ctrl+[)', actions.sendToBack)}
            ${action(ICONS.front, 'Bring to front (Ctrl+])', actions.bringToFront)}
            ${action(ICONS.duplicate, 'Duplicate (Ctrl+D)', actions.duplicate)}
            ${action(ICONS.delete, 'Delete (Delete)', actions.remove)}
          </fieldset>`
        : nothing
    }
  </section>`;
}

const ALIGNMENTS: ReadonlyArray<[Alignment, string]> = [
  ['left', 'Align left'],
  ['center', 'Align centres across'],
  ['right', 'Align right'],
  ['top', 'Align top'],
  ['middle', 'Align middles down'],
  ['bottom', 'Align bottom'],
];

/** Lining up two or more shapes, and spacing out three or more, as in Excalidraw. */
function renderAlignment(count: number, actions: PropertiesActions) {
  return html`<fieldset>
    <legend>Align</legend>
    ${ALIGNMENTS.map(([to, label]) => action(ICONS[`align-${to}`], label, () => actions.align(to)))}
    ${
      count >= 3
        ? html`${action(ICONS['distribute-x'], 'Space out across', () => actions.distribute('x'))}
          ${action(ICONS['distribute-y'], 'Space out down', () => actions.distribute('y'))}`
        : nothing
    }
  </fieldset>`;
}

function swatch(name: 'color' | 'fill', value: string, style: Partial<Style>, actions: PropertiesActions) {
  const label = name === 'color' ? `Colour ${value}` : `Fill ${value}`;
  return html`<button
    type="button"
    class="swatch"
    style="background:${value}"
    aria-label=${label}
    title=${label}
    aria-pressed=${style[name] === value ? 'true' : 'false'}
    @click=${() => actions.restyle({ [name]: value })}
  ></button>`;
}

/** A small drawing of what a choice looks like. */
function sample(content: unknown) {
  return html`<svg class="sample" viewBox="0 0 24 18" width="24" height="18" aria-hidden="true" stroke="currentColor">
    ${content}
  </svg>`;
}

function action(node: (typeof ICONS)[keyof typeof ICONS], label: string, run: () => void) {
  return html`<button
    type="button"
    class="icon-button"
    aria-label=${label.replace(/ \(.*\)$/, '')}
    title=${label}
    @click=${run}
  >
    ${icon(node)}
  </button>`;
}

/**
 * What the panel shows: the selected shapes' styles (those any of them takes, the first one's
 * values), or while nothing is selected the chosen tool's, with the next shape's values;
 * `undefined` when there is nothing to style.
 */
export function propertiesFor(
  registry: ShapeRegistry,
  selected: readonly Shape[],
  tool: Tool,
  next: Style,
  folded: boolean,
): PropertiesState | undefined {
  if (selected.length > 0) {
    const definitions = selected.map((shape) => registry.get(shape.type)!);
    const offered = new Set<StyleName>(definitions.flatMap((definition) => stylesOf(definition)));
    const style = styleOfShape(definitions[0]!, selected[0]!);
    return { offered, style, selection: true, count: selected.length, folded };
  }
  const offered = new Set(tool.styles ?? []);
  return offered.size > 0 ? { offered, style: next, selection: false, count: 0, folded } : undefined;
}
