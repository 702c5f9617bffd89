import type { RoomCreation } from '@xsync/core';
import { LitElement, html, nothing } from 'lit';
import { Lobby, isRoomName, roomName } from '../rooms.js';
import {
  COLORS,
  DEFAULT_ROOM,
  type ServerSettings,
  builtInServer,
  randomToken,
  saveAccount,
  saveIdentity,
  saveServer,
  savedAccount,
  lastIdentity,
  savedServer,
  sameServer,
} from '../settings.js';
import type { JoinDetail } from './DemoApp.js';

/** The ways a new room can be set up ([ACC1], [ACC2]), as the join screen offers them. */
const ACCESS_CHOICES: ReadonlyArray<{ value: string; label: string; creation: RoomCreation }> = [
  { value: 'public', label: 'Anyone, and everyone edits', creation: { access: 'public' } },
  {
    value: 'public-members-edit',
    label: 'Anyone looks; members edit',
    creation: { access: 'public', editors: 'members' },
  },
  { value: 'members-only', label: 'Members, who can invite others', creation: { access: 'members-only' } },
  { value: 'private', label: 'Only people I add (private)', creation: { access: 'private' } },
];

type RoomList = { state: 'loading' } | { state: 'loaded'; rooms: string[] } | { state: 'failed'; reason: string };

/**
 * `<demo-join>`: the visitor's name and colour, the room, and (for servers without guest
 * accounts) the server and account. Lists the server's rooms. Fires `join` with a
 * {@link JoinDetail}.
 */
export class JoinScreen extends LitElement {
  static override properties = {
    room: { type: String },
    rooms: { state: true },
    problem: { state: true },
  };

  /** Room to offer first (from a shared link). */
  declare room: string;
  declare rooms: RoomList | undefined;
  declare problem: string | undefined;

  readonly #builtIn = builtInServer();
  readonly #saved = savedServer();
  readonly #identity = lastIdentity();
  readonly #color = this.#identity?.color ?? COLORS[Math.floor(Math.random() * COLORS.length)]!.value;

  constructor() {
    super();
    this.room = '';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadRooms();
  }

  protected override firstUpdated(): void {
    this.querySelector<HTMLInputElement>('#join-name')?.focus();
  }

  protected override render() {
    const custom = this.#saved && !sameServer(this.#saved, this.#builtIn) ? this.#saved : undefined;
    const customAccount = custom && savedAccount(custom);
    const needsServer = !this.#builtIn;
    return html`<main class="join">
      <h1>xsync rooms</h1>
      <p class="lede">Draw and write together. Everyone who opens the same room sees the same board and notes.</p>
      <form @submit=${this.#onSubmit} aria-describedby="join-problem">
        <p>
          <label for="join-name">Your name</label>
          <input
            id="join-name"
            name="name"
            required
            maxlength="40"
            autocomplete="nickname"
            .value=${this.#identity?.name ?? ''}
          />
        </p>
        <fieldset class="colors">
          <legend>Your colour</legend>
          ${COLORS.map(
            (color) =>
              html`<label class="swatch" style="--swatch: ${color.value}">
                <input type="radio" name="color" value=${color.value} ?checked=${color.value === this.#color} />
                <span>${color.name}</span>
              </label>`,
          )}
        </fieldset>
        <p>
          <label for="join-room">Room</label>
          <input
            id="join-room"
            name="room"
            maxlength="63"
            .value=${this.room || DEFAULT_ROOM}
            aria-describedby="join-room-hint"
          />
          <span id="join-room-hint" class="hint"
            >Letters, digits and dashes. A room that does not exist yet is created.</span
          >
        </p>
        <p>
          <label for="join-access">Who can enter a new room</label>
          <select id="join-access" name="access" aria-describedby="join-access-hint">
            ${ACCESS_CHOICES.map((choice) => html`<option value=${choice.value}>${choice.label}</option>`)}
          </select>
          <span id="join-access-hint" class="hint">You own the rooms you create, and decide who else gets in.</span>
        </p>
        <details ?open=${needsServer || custom !== undefined}>
          <summary>${needsServer ? 'Server and account' : 'Use another XMPP server'}</summary>
          <p class="hint">
            Any server with MUC (XEP-0045) or MIX (XEP-0369) rooms, MAM (XEP-0313) and WebSocket (RFC 7395).
            ${this.#builtIn?.guests ? 'Leave empty to get a guest account on the local server.' : ''}
          </p>
          <p>
            <label for="join-service">WebSocket address</label>
            <input
              id="join-service"
              name="service"
              type="url"
              placeholder="wss://example.org/ws"
              ?required=${needsServer}
              .value=${custom?.service ?? ''}
            />
          </p>
          <p>
            <label for="join-jid">Your JID</label>
            <input
              id="join-jid"
              name="jid"
              type="email"
              autocomplete="username"
              placeholder="you@example.org"
              ?required=${needsServer}
              .value=${customAccount?.jid ?? ''}
            />
          </p>
          <p>
            <label for="join-password">Password</label>
            <input
              id="join-password"
              name="password"
              type="password"
              autocomplete="current-password"
              ?required=${needsServer}
            />
          </p>
          <p>
            <label for="join-rooms"
              >Room service <span class="hint">(MUC or MIX; default: muc.&lt;your domain&gt;)</span></label
            >
            <input id="join-rooms" name="rooms" placeholder="muc.example.org" .value=${custom?.roomService ?? ''} />
          </p>
          <p>
            <label for="join-bot">Catch-up bot <span class="hint">(optional)</span></label>
            <input id="join-bot" name="bot" placeholder="xsync-bot@example.org" .value=${custom?.bot ?? ''} />
          </p>
        </details>
        <p id="join-problem" role="alert" class="problem">${this.problem ?? nothing}</p>
        <p class="actions">
          <button type="submit" class="primary">Enter room</button>
          <button type="submit" name="new" value="new">New room</button>
        </p>
      </form>
      ${this.#renderRooms()}
    </main>`;
  }

  #renderRooms() {
    if (!this.rooms) return nothing;
    const rooms = this.rooms;
    return html`<section class="room-list" aria-labelledby="rooms-heading">
      <h2 id="rooms-heading">Rooms on this server</h2>
      ${rooms.state === 'loading' ? html`<p>Loading rooms…</p>` : nothing}
      ${rooms.state === 'failed' ? html`<p>The rooms could not be listed: ${rooms.reason}</p>` : nothing}
      ${rooms.state === 'loaded' && rooms.rooms.length === 0 ? html`<p>No rooms yet.</p>` : nothing}
      ${
        rooms.state === 'loaded'
          ? html`<ul>
              ${rooms.rooms.map(
                (room) => html`<li><button type="button" @click=${() => this.#enter(room)}>Enter ${room}</button></li>`,
              )}
            </ul>`
          : nothing
      }
      <button type="button" @click=${() => void this.#loadRooms()}>Refresh the list</button>
    </section>`;
  }

  /** Lists the rooms of the server the visitor can reach without typing anything. */
  async #loadRooms(): Promise<void> {
    const server = this.#saved;
    const account = server && savedAccount(server);
    if (!server || !account) return;
    this.rooms = { state: 'loading' };
    let lobby: Lobby | undefined;
    try {
      lobby = await Lobby.open(server, account);
      this.rooms = { state: 'loaded', rooms: await lobby.rooms() };
    } catch (error) {
      this.rooms = { state: 'failed', reason: (error as Error).message };
    } finally {
      await lobby?.close();
    }
  }

  #enter(room: string): void {
    const form = this.querySelector('form')!;
    form.querySelector<HTMLInputElement>('#join-room')!.value = room;
    form.requestSubmit();
  }

  readonly #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const name = text('name');
    const room =
      (event.submitter as HTMLButtonElement | null)?.value === 'new'
        ? `room-${randomToken(3)}`
        : roomName(text('room'));
    if (!name) return this.#fail('Please give your name: the others see it on your cursor.');
    if (!isRoomName(room)) return this.#fail('Please name the room with letters, digits or dashes.');
    const server = this.#serverFrom(text('service'), text('jid'), text('rooms'), text('bot'));
    if (!server) return this.#fail('Please give the WebSocket address of a server, your JID and your password.');
    const account = server.guests
      ? savedAccount(server)!
      : { jid: text('jid'), password: text('password'), guest: false };
    if (!account.jid.includes('@') || !account.password) return this.#fail('Please give your JID and your password.');
    const identity = { name, color: text('color') || this.#color };
    saveIdentity(identity);
    saveServer(server);
    saveAccount(account);
    this.problem = undefined;
    const creation = ACCESS_CHOICES.find((choice) => choice.value === text('access'))?.creation ?? {};
    this.dispatchEvent(new CustomEvent<JoinDetail>('join', { detail: { server, account, identity, room, creation } }));
  };

  /** The built-in server, or the one typed in. */
  #serverFrom(service: string, jid: string, rooms: string, bot: string): ServerSettings | undefined {
    if (!service) return this.#builtIn;
    const domain = jid.slice(jid.indexOf('@') + 1);
    if (!domain) return undefined;
    return { service, domain, roomService: rooms || `muc.${domain}`, bot: bot || undefined, guests: false };
  }

  #fail(problem: string): void {
    this.problem = problem;
  }
}

customElements.define('demo-join', JoinScreen);

declare global {
  interface HTMLElementTagNameMap {
    'demo-join': JoinScreen;
  }
}
