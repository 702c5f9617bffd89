import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';

/** Editor features the element's attributes switch at run time. */
export interface EditorFeatures {
  lineNumbers: boolean;
  wrap: boolean;
  readonly: boolean;
  placeholder: string;
}

/** One compartment per switchable feature, so attributes reconfigure a live editor. */
export class FeatureCompartments {
  readonly #lineNumbers = new Compartment();
  readonly #wrap = new Compartment();
  readonly #readonly = new Compartment();
  readonly #placeholder = new Compartment();

  /** The extensions for the initial state. */
  initial(features: EditorFeatures): Extension[] {
    return [
      this.#lineNumbers.of(features.lineNumbers ? lineNumbers() : []),
      this.#wrap.of(features.wrap ? EditorView.lineWrapping : []),
      this.#readonly.of(readonlyExtension(features.readonly)),
      this.#placeholder.of(features.placeholder ? placeholder(features.placeholder) : []),
    ];
  }

  /** Applies changed features to a live view. */
  reconfigure(view: EditorView, features: EditorFeatures): void {
    view.dispatch({
      effects: [
        this.#lineNumbers.reconfigure(features.lineNumbers ? lineNumbers() : []),
        this.#wrap.reconfigure(features.wrap ? EditorView.lineWrapping : []),
        this.#readonly.reconfigure(readonlyExtension(features.readonly)),
        this.#placeholder.reconfigure(features.placeholder ? placeholder(features.placeholder) : []),
      ],
    });
  }
}

function readonlyExtension(readonly: boolean): Extension {
  return [EditorState.readOnly.of(readonly), EditorView.editable.of(!readonly)];
}

/** Markdown highlighting, keys and a theme that follows the element's CSS custom properties. */
export function baseExtensions(): Extension[] {
  return [
    markdown(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    drawSelection(),
    highlightActiveLine(),
    keymap.of([...defaultKeymap, indentWithTab]),
    EditorView.theme({
      '&': {
        height: '100%',
        color: 'var(--xsync-editor-color, #1d1d1f)',
        backgroundColor: 'var(--xsync-editor-background, #fff)',
        fontSize: 'var(--xsync-editor-font-size, 15px)',
      },
      '.cm-content': { fontFamily: 'var(--xsync-editor-font, ui-monospace, SFMono-Regular, Menlo, monospace)' },
      '.cm-gutters': {
        backgroundColor: 'var(--xsync-editor-gutter-background, #f6f6f7)',
        color: 'var(--xsync-editor-gutter-color, #6e6e73)',
        border: 'none',
      },
      '.cm-activeLine': { backgroundColor: 'var(--xsync-editor-active-line, rgba(0, 0, 0, 0.03))' },
      '&.cm-focused': { outline: 'none' },
    }),
  ];
}
