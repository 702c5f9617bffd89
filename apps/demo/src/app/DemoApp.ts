import type { RoomCreation } from '@xsync/core';
import { LitElement, html } from 'lit';
import {
  type Account,
  type Identity,
  type ServerSettings,
  savedAccount,
  savedIdentity,
  savedServer,
} from '../settings.js';
import { isRoomName, roomLink } from '../rooms.js';
import './JoinScreen.js';
import './RoomView.js';

/** Everything a room view needs, as the join screen hands it over. */
export interface JoinDetail {
  server: ServerSettings;
  account: Account;
  identity: Identity;
  room: string;
  /** How to set the room up if it is new (the join screen's choice). */
  creation?: RoomCreation;
}

/**
 * `<xsync-demo>`: the join screen, or the room the address names (`?room=NAME`). A link to a
 * room opens it directly once the visitor has given a name in this browser.
 */
export class DemoApp extends LitElement {
  static override properties = { joined: { state: true } };

  declare joined: JoinDetail | undefined;

  constructor() {
    super();
    this.joined = this.#fromAddress();
  }

  // Light DOM: the page's stylesheet styles the app, and tests find its controls by role.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.#onPopState);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.#onPopState);
  }

  protected override render() {
    if (this.joined) {
      const { server, account, identity, room, creation } = this.joined;
      return html`<demo-room
        .server=${server}
        .account=${account}
        .identity=${identity}
        .room=${room}
        .creation=${creation}
        @leave=${this.#onLeave}
      ></demo-room>`;
    }
    return html`<demo-join .room=${requestedRoom() ?? ''} @join=${this.#onJoin}></demo-join>`;
  }

  #fromAddress(): JoinDetail | undefined {
    const room = requestedRoom();
    const server = savedServer();
    const identity = savedIdentity();
    const account = server && savedAccount(server);
    if (!room || !server || !identity || !account) return undefined;
    return { server, account, identity, room };
  }

  readonly #onJoin = (event: CustomEvent<JoinDetail>): void => {
    history.pushState(null, '', roomLink(event.detail.room));
    this.joined = event.detail;
  };

  readonly #onLeave = (): void => {
    const url = new URL(location.href);
    url.search = '';
    history.pushState(null, '', url.href);
    this.joined = undefined;
  };

  readonly #onPopState = (): void => {
    this.joined = this.#fromAddress();
  };
}

/** The room named in the address, if it is a valid room name. */
function requestedRoom(): string | undefined {
  const room = new URLSearchParams(location.search).get('room');
  return room !== null && isRoomName(room) ? room : undefined;
}

customElements.define('xsync-demo', DemoApp);

declare global {
  interface HTMLElementTagNameMap {
    'xsync-demo': DemoApp;
  }
}
