import type { Room } from '@xsync/core';
import {
  RoomAccess,
  type SyncState,
  type XmppProvider,
  announceUser,
  describeSyncState,
  watchRole,
  watchSyncState,
} from '@xsync/core/yjs';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import { DocumentIndex, INDEX_DOC, isDocumentName } from './documents.js';
import { type EditorFeatures, FeatureCompartments, baseExtensions } from './extensions.js';
import { renderMarkdown } from './preview.js';
import { styles } from './styles.js';
import { type DocumentBarActions, type Naming, renderDocumentBar } from './ui/documentBar.js';

/** Name of the Y.Text that holds a document's content. */
export const CONTENT = 'content';

/** Prefix of the editor's documents in the room ([ENV3]), apart from other elements' documents. */
export const DOC_PREFIX = 'editor:';

/**
 * `<xmpp-editor>`: a shared Markdown document in an xsync room, edited with CodeMirror 6
 * and kept in Yjs through y-codemirror.next. A viewer of the room ([ACC2]) gets a read-only
 * editor, as with `readonly`.
 *
 * @fires change - the text changed, locally or remotely; `detail: { value, doc }`
 * @fires status - the sync state changed; `detail: SyncState`
 * @fires error - a connection failed, or a remote update was refused; `detail: { error }`
 * @csspart toolbar - the bar with the document list, preview, import and export
 * @csspart editor - the CodeMirror editor
 * @csspart preview - the rendered Markdown
 * @csspart status - the state of this user's work ("All changes saved")
 * @csspart export - the export buttons (a page with its own export place hides them)
 * @csspart role - "View only", while the room makes this user a viewer (the editor is then read-only)
 * @cssprop --xsync-editor-background - editor and toolbar background
 * @cssprop --xsync-editor-color - text colour
 * @cssprop --xsync-editor-accent - focus rings and pressed buttons
 * @cssprop --xsync-editor-border - borders
 * @cssprop --xsync-editor-font - editor font family
 * @cssprop --xsync-editor-font-size - editor font size
 */
export class XmppEditor extends LitElement {
  static override styles = styles;

  static override properties = {
    service: { type: String },
    jid: { type: String },
    password: { type: String },
    room: { type: String },
    bots: { type: String },
    nick: { type: String },
    doc: { type: String, reflect: true },
    readonly: { type: Boolean, reflect: true },
    placeholder: { type: String },
    lineNumbers: { type: Boolean, attribute: 'line-numbers' },
    wrap: { type: Boolean },
    preview: { type: Boolean, reflect: true },
    userName: { type: String, attribute: 'user-name' },
    userColor: { type: String, attribute: 'user-color' },
    provider: { attribute: false },
    xmppRoom: { attribute: false },
  };

  /** `wss://…/ws` of the XMPP server (with `jid`, `password`, `room`). */
  declare service: string | undefined;
  /** Bare JID to log in as; without it, SASL ANONYMOUS. */
  declare jid: string | undefined;
  declare password: string | undefined;
  /** Bare JID of the room: a MUC room or a MIX channel. */
  declare room: string | undefined;
  /** Bot JIDs trusted for catch-up, separated by spaces or commas. */
  declare bots: string | undefined;
  declare nick: string | undefined;
  /** Name of the document in the room. Default: `notes`. */
  declare doc: string;
  declare readonly: boolean;
  declare placeholder: string;
  declare lineNumbers: boolean;
  declare wrap: boolean;
  /** Show the rendered Markdown beside the source. */
  declare preview: boolean;
  /** Name and colour others see on this user's cursor. */
  declare userName: string | undefined;
  declare userColor: string | undefined;
  /**
   * A provider to use as is, for apps that hold their own (its document must be this
   * element's `doc`). The element never destroys it.
   */
  declare provider: XmppProvider | undefined;
  /** A joined `Room` of `@xsync/core` to use instead of connecting with the attributes. */
  declare xmppRoom: Room | undefined;

  #view: EditorView | undefined;
  #features = new FeatureCompartments();
  #room: RoomAccess | undefined;
  #active: XmppProvider | undefined;
  #index: DocumentIndex | undefined;
  #unobserveIndex: (() => void) | undefined;
  #undoManager: Y.UndoManager | undefined;
  #detach: Array<() => void> = [];
  // Internal state, rendered with requestUpdate() (kept out of the attribute manifest).
  #status: SyncState = { state: 'offline', unsynced: 0 };
  #documents: string[] = [];
  #naming: Naming | undefined;
  #previewHtml = '';
  #generation = 0;
  /** The room made this client a viewer ([ACC2]): the server refuses its edits anyway. */
  #viewOnly = false;

  constructor() {
    super();
    this.doc = 'notes';
    this.readonly = false;
    this.placeholder = '';
    this.lineNumbers = false;
    this.wrap = false;
    this.preview = false;
  }

  /** The document's text. */
  get value(): string {
    return this.#text?.toString() ?? '';
  }

  /** The current sync state. */
  get status(): SyncState {
    return this.#status;
  }

  /** Who is here and where their cursors are (y-protocols awareness), once connected. */
  get awareness(): XmppProvider['awareness'] | undefined {
    return this.#active?.awareness;
  }

  /** The Yjs document being edited, once connected. */
  get ydoc(): Y.Doc | undefined {
    return this.#active?.doc;
  }

  get #text(): Y.Text | undefined {
    return this.#active?.doc.getText(CONTENT);
  }

  /** Undoes this user's last change (never another user's). */
  undo(): void {
    this.#undoManager?.undo();
  }

  redo(): void {
    this.#undoManager?.redo();
  }

  /** Replaces the document's content (as one undoable change). */
  importText(text: string): void {
    const ytext = this.#text;
    if (!ytext || this.#readOnly) return;
    const view = this.#view!;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }

  /** The content, for download as Markdown or plain text. */
  exportText(): string {
    return this.value;
  }

  /** Gives the shown document a title everyone sees in the list; the room keeps it under its name. */
  renameDocument(title: string): void {
    if (!this.#index) throw new Error('not connected');
    this.#index.rename(this.doc, title);
  }

  /** Adds a document to the room's list and switches to it. */
  createDocument(name: string): void {
    if (!this.#index) throw new Error('not connected');
    this.#index.add(name);
    this.doc = name;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.#teardown();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The first update lists every property set before it, so this connects once.
    const connection = ['service', 'jid', 'password', 'room', 'bots', 'nick', 'provider', 'xmppRoom'] as const;
    if (connection.some((name) => changed.has(name))) {
      void this.#connect();
      return;
    }
    if (changed.has('doc') && this.#active) void this.#bind();
    const features = ['readonly', 'placeholder', 'lineNumbers', 'wrap'] as const;
    if (this.#view && features.some((name) => changed.has(name))) this.#features.reconfigure(this.#view, this.#wanted);
    if (changed.has('preview') && this.preview) this.#renderPreview();
    if ((changed.has('userName') || changed.has('userColor')) && this.#active) this.#announceUser(this.#active);
  }

  /**
   * Nothing is typed or imported: the page asked for it, the room's role says so, or the room
   * has not yet said who this participant is, without which no edit could be shared ([YJS4]).
   */
  get #readOnly(): boolean {
    return this.readonly || this.#viewOnly || !this.#active?.identified;
  }

  get #wanted(): EditorFeatures {
    return { lineNumbers: this.lineNumbers, wrap: this.wrap, readonly: this.#readOnly, placeholder: this.placeholder };
  }

  /** Opens (or adopts) the room, then binds the current document. */
  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    await this.#teardown(false);
    try {
      const room = await RoomAccess.open(this);
      if (generation !== this.#generation) return void (await room?.close());
      this.#room = room;
      this.#watchIndex();
      await this.#bind();
      // The providers join and catch up with the login; a failed login is told here.
      await room?.ready;
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #watchIndex(): void {
    const provider = this.#room?.provider(INDEX_DOC);
    if (!provider) return;
    this.#index = new DocumentIndex(provider.doc);
    const refresh = () => {
      this.#documents = this.#index!.names();
      this.requestUpdate();
    };
    this.#unobserveIndex = this.#index.observe(refresh);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      // The shown document joins the list, so others can find it.
      if (isDocumentName(this.doc)) this.#index!.add(this.doc);
      refresh();
    };
    provider.on('sync', onSync);
    this.#detach.push(() => provider.off('sync', onSync));
    if (provider.synced) onSync(true);
  }

  /** Binds CodeMirror to the current document's provider. */
  async #bind(): Promise<void> {
    this.#unbindDocument();
    const provider = this.#documentProvider();
    if (!provider) return;
    this.#active = provider;
    if (this.#index && !this.provider && isDocumentName(this.doc)) this.#index.add(this.doc);
    const ytext = provider.doc.getText(CONTENT);
    this.#undoManager = new Y.UndoManager(ytext);
    this.#announceUser(provider);
    const state = EditorState.create({
      doc: ytext.toString(),
      extensions: [
        ...baseExtensions(),
        ...this.#features.initial(this.#wanted),
        keymap.of(yUndoManagerKeymap),
        yCollab(ytext, provider.awareness, { undoManager: this.#undoManager }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.#changed();
        }),
      ],
    });
    const parent = this.renderRoot.querySelector<HTMLElement>('[part="editor"]')!;
    this.#view = new EditorView({ state, parent, root: this.renderRoot as ShadowRoot });
    const onRejected = (rejection: unknown) =>
      this.dispatchEvent(new CustomEvent('error', { detail: { rejection }, bubbles: true, composed: true }));
    const onError = (error: Error) => this.#fail(error);
    provider.on('rejected', onRejected);
    provider.on('connection-error', onError);
    let identified = provider.identified;
    const unwatch = watchSyncState(provider, (status) => {
      if (identified !== provider.identified && this.#view) this.#features.reconfigure(this.#view, this.#wanted);
      identified = provider.identified;
      this.#setStatus(status);
    });
    const unwatchRole = watchRole(provider.room, (role) => {
      this.#viewOnly = role === 'viewer';
      if (this.#view) this.#features.reconfigure(this.#view, this.#wanted);
      this.requestUpdate();
    });
    this.#detachDocument = () => {
      unwatch();
      unwatchRole();
      provider.off('rejected', onRejected);
      provider.off('connection-error', onError);
    };
    this.#changed();
  }

  #detachDocument: (() => void) | undefined;

  #documentProvider(): XmppProvider | undefined {
    return this.provider ?? this.#room?.provider(`${DOC_PREFIX}${this.doc}`);
  }

  #announceUser(provider: XmppProvider): void {
    announceUser(provider.awareness, { name: this.userName ?? this.nick, color: this.userColor });
  }

  #changed(): void {
    if (this.preview) this.#renderPreview();
    this.dispatchEvent(new CustomEvent('change', { detail: { value: this.value, doc: this.doc } }));
  }

  #renderPreview(): void {
    this.#previewHtml = renderMarkdown(this.value);
    this.requestUpdate();
  }

  #setStatus(status: SyncState): void {
    this.#status = status;
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent('status', { detail: status }));
  }

  #fail(error: Error): void {
    this.dispatchEvent(new CustomEvent('error', { detail: { error }, bubbles: true, composed: true }));
  }

  #unbindDocument(): void {
    this.#detachDocument?.();
    this.#detachDocument = undefined;
    this.#view?.destroy();
    this.#view = undefined;
    this.#undoManager?.destroy();
    this.#undoManager = undefined;
    this.#active = undefined;
  }

  async #teardown(all = true): Promise<void> {
    if (all) this.#generation++;
    this.#unbindDocument();
    this.#unobserveIndex?.();
    this.#unobserveIndex = undefined;
    this.#index = undefined;
    for (const detach of this.#detach.splice(0)) detach();
    const room = this.#room;
    this.#room = undefined;
    await room?.close();
  }

  #download(extension: 'md' | 'txt'): void {
    const type = extension === 'md' ? 'text/markdown' : 'text/plain';
    const url = URL.createObjectURL(new Blob([this.exportText()], { type }));
    const link = Object.assign(document.createElement('a'), { href: url, download: `${this.doc}.${extension}` });
    link.click();
    URL.revokeObjectURL(url);
  }

  async #import(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.importText(await file.text());
  }

  readonly #documentActions: DocumentBarActions = {
    show: (name) => (this.doc = name),
    startNaming: (mode) => {
      this.#naming = { mode };
      this.requestUpdate();
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#document-name')?.focus());
    },
    name: (value) => {
      const name = value.trim();
      if (!isDocumentName(name)) {
        this.#naming = { ...this.#naming!, problem: 'A name has 1 to 80 characters, not all spaces.' };
      } else {
        if (this.#naming?.mode === 'rename') this.renameDocument(name);
        else this.createDocument(name);
        this.#naming = undefined;
      }
      this.requestUpdate();
    },
    cancelNaming: () => {
      this.#naming = undefined;
      this.requestUpdate();
    },
  };

  protected override render() {
    const documents = this.#documents.includes(this.doc) ? this.#documents : [...this.#documents, this.doc];
    return html`<div class="frame">
      <div part="toolbar" role="toolbar" aria-label="Document">
        ${renderDocumentBar(
          {
            documents: documents.map((name) => ({ name, title: this.#index?.title(name) ?? name })),
            current: this.doc,
            ready: this.#index !== undefined && !this.#readOnly,
            naming: this.#naming,
          },
          this.#documentActions,
        )}
        <button
          type="button"
          aria-pressed=${this.preview ? 'true' : 'false'}
          @click=${() => (this.preview = !this.preview)}
        >
          Preview
        </button>
        <input
          id="import"
          type="file"
          hidden
          accept=".md,.markdown,.txt,text/plain,text/markdown"
          @change=${(event: Event) => void this.#import(event)}
        />
        <button
          type="button"
          ?disabled=${this.#readOnly}
          @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#import')!.click()}
        >
          Import…
        </button>
        <button type="button" part="export" @click=${() => this.#download('md')}>Export .md</button>
        <button type="button" part="export" @click=${() => this.#download('txt')}>Export .txt</button>
        <span class="spacer"></span>
        ${this.#viewOnly ? html`<span part="role">View only</span>` : nothing}
        <span part="status" role="status" data-state=${this.#status.state}>${describeSyncState(this.#status)}</span>
      </div>
      <div class="panes">
        <div part="editor"></div>
        ${
          this.preview ? html`<div part="preview" aria-label="Preview">${unsafeHTML(this.#previewHtml)}</div>` : nothing
        }
      </div>
    </div>`;
  }
}
