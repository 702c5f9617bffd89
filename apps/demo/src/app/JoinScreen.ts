import type { RoomCreation } from '@xsync/core';
import { LitElement, html, nothing } from 'lit';
import { type ListedRoom, Lobby, activityInWords, isRoomName, peopleInWords, roomName } from '../rooms.js';
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

type RoomList = { state: 'loading' } | { state: 'loaded'; rooms: ListedRoom[] } | { state: 'failed'; reason: string };

/**
 * `<demo-join>`: the visitor's name and colour, the room, and (for servers without guest
 * accounts) the server and account. Lists the server's rooms, with who is in each and when it
 * was last active. Fires `join` with a {@link JoinDetail}.
 */
export class JoinScreen extends LitElement {
  static override properties = {
    room: { type: String },
    rooms: { state: true },
    refreshing: { state: true },
    problem: { state: true },
  };

  /** Room to offer first (from a shared link). */
  declare room: string;
  declare rooms: RoomList | undefined;
  /** A listing is under way while an earlier one shows. */
  declare refreshing: boolean;
  declare problem: string | undefined;
  /** Counts listings, so that only the latest one shows. */
  #listing = 0;

  readonly #builtIn = builtInServer();
  readonly #saved = savedServer();
  readonly #identity = lastIdentity();
  readonly #color = this.#identity?.color ?? COLORS[Math.floor(Math.random() * COLORS.length)]!.value;

  constructor() {
    super();
    this.room = '';
    this.refreshing = false;
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
    const busy = rooms.state === 'loading' || this.refreshing;
    return html`<section class="room-list" aria-labelledby="rooms-heading" aria-busy=${busy ? 'true' : 'false'}>
      <div class="room-list-head">
        <h2 id="rooms-heading">Rooms on this server</h2>
        <button type="button" aria-label="Refresh the list" @click=${() => void this.#loadRooms()}>Refresh</button>
      </div>
      <p class="hint" role="status">${busy ? (rooms.state === 'loading' ? 'Loading rooms…' : 'Refreshing…') : ''}</p>
      ${rooms.state === 'failed' ? html`<p>The rooms could not be listed: ${rooms.reason}</p>` : nothing}
      ${rooms.state === 'loaded' && rooms.rooms.length === 0 ? html`<p>No rooms yet.</p>` : nothing}
      ${rooms.state === 'loaded' && rooms.rooms.length > 0 ? this.#renderRoomItems(rooms.rooms) : nothing}
    </section>`;
  }

  /** One button per room: its name to enter it by, and what is known of it as its description. */
  #renderRoomItems(rooms: ListedRoom[]) {
    const now = Date.now();
    return html`<ul>
      ${rooms.map((room, index) => {
        const people = peopleInWords(room.summary);
        const lastActivity = room.summary?.lastActivity;
        const activity = activityInWords(lastActivity, now);
        const details = `room-details-${index}`;
        return html`<li>
          <button
            type="button"
            class="room-card"
            aria-label="Enter ${room.name}"
            aria-describedby=${details}
            @click=${() => this.#enter(room.name)}
          >
            <span class="room-name">${room.name}</span>
            <span class="room-details" id=${details}>
              ${people ? html`<span class="room-people">${people}</span>` : nothing}
              ${
                activity
                  ? html`<span class="room-activity"
                      >${
                        lastActivity
                          ? html`<time datetime=${lastActivity.toISOString()} title=${lastActivity.toLocaleString()}
                              >${activity}</time
                            >`
                          : activity
                      }</span
                    >`
                  : nothing
              }
              ${room.summary ? nothing : html`<span class="room-activity">No answer from the room</span>`}
            </span>
            <span class="room-enter" aria-hidden="true">Enter</span>
          </button>
        </li>`;
      })}
    </ul>`;
  }

  /** Lists the rooms of the server the visitor can reach without typing anything. */
  async #loadRooms(): Promise<void> {
    const server = this.#saved;
    const account = server && savedAccount(server);
    if (!server || !account) return;
    const listing = ++this.#listing;
    if (this.rooms?.state === 'loaded') this.refreshing = true;
    else this.rooms = { state: 'loading' };
    let lobby: Lobby | undefined;
    let rooms: RoomList;
    try {
      lobby = await Lobby.open(server, account);
      rooms = { state: 'loaded', rooms: await lobby.rooms() };
    } catch (error) {
      rooms = { state: 'failed', reason: (error as Error).message };
    } finally {
      await lobby?.close();
    }
    if (listing !== this.#listing) return;
    this.rooms = rooms;
    this.refreshing = false;
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
