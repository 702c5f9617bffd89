import { html, nothing } from 'lit';

/** A name being typed for a new document, or a new title for the shown one. */
export interface Naming {
  mode: 'new' | 'rename';
  /** Why the last name given was refused, in words. */
  problem?: string | undefined;
}

/** What the document bar shows. */
export interface DocumentBarState {
  /** The room's documents, as name and title, in the order shown. */
  documents: ReadonlyArray<{ name: string; title: string }>;
  /** The document shown. */
  current: string;
  /** The room's list of documents is known: documents can be made and renamed. */
  ready: boolean;
  naming: Naming | undefined;
}

/** What the document bar's controls do. */
export interface DocumentBarActions {
  show(name: string): void;
  startNaming(mode: Naming['mode']): void;
  /** A name (or title) was given. */
  name(value: string): void;
  cancelNaming(): void;
}

/**
 * The editor's documents: the list to switch between, and New and Rename, which ask for the
 * name in place (no browser dialog): Enter gives it, Escape leaves it.
 */
export function renderDocumentBar(state: DocumentBarState, actions: DocumentBarActions) {
  const { naming } = state;
  const current = state.documents.find((document) => document.name === state.current);
  if (naming) {
    const label = naming.mode === 'new' ? 'Name of the new document' : 'New title of this document';
    const submit = (event: Event) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).querySelector('input')!;
      actions.name(input.value);
    };
    return html`<form class="naming" @submit=${submit}>
      <label class="visually-hidden" for="document-name">${label}</label>
      <input
        id="document-name"
        maxlength="80"
        placeholder=${label}
        aria-describedby="document-name-problem"
        .value=${naming.mode === 'rename' ? (current?.title ?? state.current) : ''}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Escape') actions.cancelNaming();
        }}
      />
      <button type="submit">${naming.mode === 'new' ? 'Create' : 'Rename'}</button>
      <button type="button" @click=${actions.cancelNaming}>Cancel</button>
      <span id="document-name-problem" class="problem" role="alert">${naming.problem ?? nothing}</span>
    </form>`;
  }
  return html`<label class="visually-hidden" for="doc">Document</label>
    <select id="doc" @change=${(event: Event) => actions.show((event.target as HTMLSelectElement).value)}>
      ${state.documents.map(
        (document) =>
          html`<option .value=${document.name} ?selected=${document.name === state.current}>${document.title}</option>`,
      )}
    </select>
    <button type="button" ?disabled=${!state.ready} @click=${() => actions.startNaming('new')}>New</button>
    <button type="button" ?disabled=${!state.ready} @click=${() => actions.startNaming('rename')}>Rename</button>`;
}
