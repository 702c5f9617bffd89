import { userOf } from '@xsync/core/yjs';
import { LitElement, html } from 'lit';
import type { Awareness } from 'y-protocols/awareness';

/** Someone in the room, as their awareness state tells. */
export interface Participant {
  name: string;
  color: string;
  self: boolean;
}

/**
 * `<demo-participants>`: who is in the room now, with their colours. Reads the awareness of
 * each of the room's documents (the board and the notes), so someone who has only one of
 * them open still counts, and everyone counts once.
 */
export class ParticipantList extends LitElement {
  static override properties = { participants: { state: true } };

  declare participants: Participant[];
  #sources: Awareness[] = [];

  constructor() {
    super();
    this.participants = [];
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Follows one more awareness (the same one twice is ignored). */
  watch(awareness: Awareness): void {
    if (this.#sources.includes(awareness)) return;
    this.#sources.push(awareness);
    awareness.on('change', this.#refresh);
    this.#refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const awareness of this.#sources) awareness.off('change', this.#refresh);
    this.#sources = [];
  }

  protected override render() {
    return html`<h2 id="participants-heading">In the room (${this.participants.length})</h2>
      <ul aria-labelledby="participants-heading">
        ${this.participants.map(
          (participant) =>
            html`<li>
              <span class="dot" style="background: ${participant.color}" aria-hidden="true"></span>
              <span style="color: ${participant.color}">${participant.name}</span>${participant.self ? ' (you)' : ''}
            </li>`,
        )}
      </ul>`;
  }

  readonly #refresh = (): void => {
    const byName = new Map<string, Participant>();
    for (const awareness of this.#sources) {
      for (const [clientId, state] of awareness.getStates()) {
        const user = userOf(state);
        if (!user) continue;
        const self = clientId === awareness.clientID;
        // One person shows once, whichever documents they have open.
        const key = self ? 'self' : `${user.name}\u0000${user.color}`;
        byName.set(key, { ...user, self });
      }
    }
    this.participants = [...byName.values()].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name),
    );
  };
}

customElements.define('demo-participants', ParticipantList);

declare global {
  interface HTMLElementTagNameMap {
    'demo-participants': ParticipantList;
  }
}
