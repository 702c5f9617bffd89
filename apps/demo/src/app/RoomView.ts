import type { RoomCreation, RoomRole } from '@xsync/core';
import { RoomSession, type SyncState, describeSyncState, watchRole } from '@xsync/core/yjs';
import type { XmppEditor } from '@xsync/editor';
import type { XmppWhiteboard } from '@xsync/whiteboard';
import { LitElement, html, nothing } from 'lit';
import { download } from '../download.js';
import { inWords } from '../errors.js';
import { Lobby, roomLink } from '../rooms.js';
import type { Account, Identity, ServerSettings } from '../settings.js';
import type { ParticipantList } from './ParticipantList.js';
import './ParticipantList.js';
import './PeoplePanel.js';

type Phase =
  { state: 'preparing' } | { state: 'ready'; jid: string; session: RoomSession } | { state: 'failed'; reason: string };

/**
 * `<demo-room>`: one room: the whiteboard and the notes side by side, who is here, the
 * visitor's role and what they may do about access, the connection's state, the share link
 * and the exports. Fires `leave` when the visitor leaves.
 */
export class RoomView extends LitElement {
  static override properties = {
    server: { attribute: false },
    account: { attribute: false },
    identity: { attribute: false },
    room: { type: String },
    creation: { attribute: false },
    phase: { state: true },
    myRole: { state: true },
    status: { state: true },
    copied: { state: true },
    problem: { state: true },
  };

  declare server: ServerSettings;
  declare account: Account;
  declare identity: Identity;
  declare room: string;
  /** How to set the room up if it does not exist yet. */
  declare creation: RoomCreation | undefined;
  declare phase: Phase;
  declare myRole: RoomRole | undefined;
  declare status: SyncState;
  declare copied: boolean;
  declare problem: string | undefined;
  readonly #states = new Map<string, SyncState>();
  #unwatchRole: (() => void) | undefined;
  #left = false;

  constructor() {
    super();
    this.phase = { state: 'preparing' };
    this.status = { state: 'syncing', unsynced: 0 };
    this.copied = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#left = false;
    void this.#prepare();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#left = true;
    this.#unwatchRole?.();
    if (this.phase.state === 'ready') void this.phase.session.release();
    this.phase = { state: 'preparing' };
  }

  /**
   * Creates the room if it is new and invites the bot, then enters it on the connection the
   * elements share (RoomSession), so that a refusal is told in words before anything shows.
   */
  async #prepare(): Promise<void> {
    let lobby: Lobby | undefined;
    let session: RoomSession | undefined;
    try {
      lobby = await Lobby.open(this.server, this.account);
      const jid = await lobby.prepare(this.room, this.creation);
      session = await RoomSession.acquire({
        service: this.server.service,
        jid: this.account.jid,
        password: this.account.password,
        room: jid,
        // The name the visitor gave is their nick, as the room list names who is in a room.
        nick: this.identity.name,
        ...(this.server.bot && { bots: [this.server.bot] }),
      });
      await session.room.join();
      if (this.#left) return void (await session.release());
      this.#unwatchRole = watchRole(session.room, (role) => (this.myRole = role));
      this.phase = { state: 'ready', jid, session };
    } catch (error) {
      await session?.release();
      this.phase = { state: 'failed', reason: inWords(error, 'enter', this.account.jid) };
    } finally {
      await lobby?.close();
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    // Entering a room moves focus to its heading, so a screen reader announces where we are.
    if (changed.has('phase') && this.phase.state === 'ready') this.querySelector<HTMLElement>('#room-heading')?.focus();
  }

  protected override render() {
    const link = roomLink(this.room);
    return html`<header class="room-bar">
        <h1 id="room-heading" tabindex="-1">Room ${this.room}</h1>
        ${this.myRole ? html`<p class="role-badge" data-role=${this.myRole}>${ROLE_LABELS[this.myRole]}</p>` : nothing}
        <p class="status" role="status" data-state=${this.status.state}>
          <span class="dot" aria-hidden="true"></span>${
            this.phase.state === 'ready'
              ? describeSyncState(this.status)
              : this.phase.state === 'failed'
                ? 'Not in the room'
                : 'Connecting…'
          }
        </p>
        <div class="share">
          <label for="share-link">Share link</label>
          <input
            id="share-link"
            readonly
            .value=${link}
            @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
          />
          <button type="button" @click=${() => void this.#copy(link)}>${this.copied ? 'Copied' : 'Copy link'}</button>
        </div>
        <details class="exports" ?hidden=${this.phase.state !== 'ready'}>
          <summary>Export</summary>
          <div class="export-menu" role="group" aria-label="Export">
            <button type="button" @click=${() => void this.#exportSvg()}>Board as SVG</button>
            <button type="button" @click=${() => void this.#exportPng()}>Board as PNG</button>
            <button type="button" @click=${this.#exportNotes}>Notes as Markdown</button>
          </div>
        </details>
        <button type="button" class="leave" @click=${() => this.dispatchEvent(new CustomEvent('leave'))}>
          Leave room
        </button>
      </header>
      <p role="alert" class="problem">${this.problem ?? nothing}</p>
      ${this.#renderBody()}`;
  }

  #renderBody() {
    if (this.phase.state === 'preparing') return html`<p class="room-message">Opening the room…</p>`;
    if (this.phase.state === 'failed') {
      return html`<p class="room-message">The room could not be opened. ${this.phase.reason}</p>`;
    }
    const { server, account, identity } = this;
    const bots = server.bot ?? '';
    return html`<div class="room">
      <aside class="participants" aria-label="Participants">
        <demo-participants></demo-participants>
        <details class="people">
          <summary>Access and members</summary>
          <demo-people .room=${this.phase.session.room} .roomRole=${this.myRole} self=${account.jid}></demo-people>
        </details>
      </aside>
      <section class="board" aria-label="Whiteboard">
        <xmpp-whiteboard
          service=${server.service}
          jid=${account.jid}
          password=${account.password}
          room=${this.phase.jid}
          bots=${bots}
          user-name=${identity.name}
          user-color=${identity.color}
          @status=${this.#onStatus}
          @error=${this.#onError}
        ></xmpp-whiteboard>
      </section>
      <section class="notes" aria-label="Notes">
        <xmpp-editor
          service=${server.service}
          jid=${account.jid}
          password=${account.password}
          room=${this.phase.jid}
          bots=${bots}
          user-name=${identity.name}
          user-color=${identity.color}
          placeholder="Meeting notes…"
          wrap
          @status=${this.#onStatus}
          @error=${this.#onError}
        ></xmpp-editor>
      </section>
    </div>`;
  }

  get #whiteboard(): XmppWhiteboard | null {
    return this.querySelector('xmpp-whiteboard');
  }

  get #editor(): XmppEditor | null {
    return this.querySelector('xmpp-editor');
  }

  /** The room's state is its least advanced element's, with every unsent change counted. */
  readonly #onStatus = (event: CustomEvent<SyncState>): void => {
    const element = event.currentTarget as XmppWhiteboard | XmppEditor;
    this.#states.set(element.localName, event.detail);
    const states = [...this.#states.values()];
    const unsynced = states.reduce((sum, state) => sum + state.unsynced, 0);
    const state = states.some((s) => s.state === 'offline')
      ? 'offline'
      : states.length < 2 || states.some((s) => s.state === 'syncing')
        ? 'syncing'
        : 'synced';
    this.status = { state, unsynced };
    const list = this.querySelector<ParticipantList>('demo-participants');
    const awareness = element.awareness;
    if (awareness) list?.watch(awareness);
    if (this.phase.state === 'ready') list?.watchRoom(this.phase.session.room);
  };

  readonly #onError = (event: CustomEvent<{ error?: Error; rejection?: { reason: string } }>): void => {
    const { error, rejection } = event.detail;
    this.problem = error
      ? inWords(error, 'edit', this.account.jid)
      : `Someone's change could not be used and was left out (${rejection?.reason}).`;
  };

  async #copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.copied = true;
    } catch {
      // No clipboard access (an insecure origin, or permission denied): leave the link selected.
      this.querySelector<HTMLInputElement>('#share-link')?.select();
    }
  }

  /** The board as an SVG file that shows it anywhere: uploaded images are embedded. */
  async #exportSvg(): Promise<void> {
    const svg = await this.#whiteboard?.exportStandaloneSvg();
    if (svg) download(new Blob([svg], { type: 'image/svg+xml' }), `${this.room}-board.svg`);
  }

  async #exportPng(): Promise<void> {
    const png = await this.#whiteboard?.exportPng();
    if (png) download(png, `${this.room}-board.png`);
  }

  readonly #exportNotes = (): void => {
    const text = this.#editor?.exportText();
    if (text !== undefined) download(new Blob([text], { type: 'text/markdown' }), `${this.room}-notes.md`);
  };
}

const ROLE_LABELS: Record<RoomRole, string> = { owner: 'Owner', editor: 'Editor', viewer: 'View only' };

customElements.define('demo-room', RoomView);

declare global {
  interface HTMLElementTagNameMap {
    'demo-room': RoomView;
  }
}
