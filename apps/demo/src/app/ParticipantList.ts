import { type Room, ownsClientId } from '@xsync/core';
import { userOf } from '@xsync/core/yjs';
import { LitElement, html } from 'lit';
import type { Awareness } from 'y-protocols/awareness';

/** Someone in the room, as their awareness state (or, for a viewer, their presence) tells. */
export interface Participant {
  name: string;
  color: string;
  self: boolean;
  /** A viewer may not send awareness, so shows by the nick the room gives. */
  viewer: boolean;
}

/**
 * `<demo-participants>`: who is in the room now, with their colours. Reads the awareness of
 * each of the room's documents (the board and the notes), so someone who has only one of
 * them open still counts, and everyone counts once; and the room's own list, for viewers,
 * whose awareness the room does not relay ([ACC2]). An awareness client belongs to the
 * participant its id names ([YJS4]).
 */
export class ParticipantList extends LitElement {
  static override properties = { participants: { state: true } };

  declare participants: Participant[];
  #sources: Awareness[] = [];
  #room: Room | undefined;

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

  /** Follows the room's participants. */
  watchRoom(room: Room): void {
    if (this.#room === room) return;
    this.#room?.off('participants', this.#refresh);
    this.#room = room;
    room.on('participants', this.#refresh);
    this.#refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const awareness of this.#sources) awareness.off('change', this.#refresh);
    this.#sources = [];
    this.#room?.off('participants', this.#refresh);
    this.#room = undefined;
  }

  protected override render() {
    return html`<h2 id="participants-heading">In the room (${this.participants.length})</h2>
      <ul aria-labelledby="participants-heading">
        ${this.participants.map(
          (participant) =>
            html`<li>
              <span class="dot" style="background: ${participant.color}" aria-hidden="true"></span>
              <span style="color: ${participant.color}">${participant.name}</span>${participant.self ? ' (you)' : ''}${
                participant.viewer ? ' · viewing' : ''
              }
            </li>`,
        )}
      </ul>`;
  }

  readonly #refresh = (): void => {
    const byName = new Map<string, Participant>();
    const present = [...(this.#room?.participants.values() ?? [])];
    const shown = new Set<string>();
    for (const awareness of this.#sources) {
      for (const [clientId, state] of awareness.getStates()) {
        const user = userOf(state);
        if (!user) continue;
        const self = clientId === awareness.clientID;
        const participant = present.find((candidate) => ownsClientId(candidate.id, clientId));
        if (participant) shown.add(participant.id);
        // One person shows once, whichever documents they have open.
        const key = self ? 'self' : `${user.name}\u0000${user.color}`;
        byName.set(key, { ...user, self, viewer: participant?.role === 'viewer' });
      }
    }
    for (const participant of present) {
      if (shown.has(participant.id) || participant.role !== 'viewer') continue;
      const self = participant.id === this.#room?.participantId;
      byName.set(self ? 'self' : participant.id, {
        name: participant.nick ?? 'Someone',
        color: 'var(--muted)',
        self,
        viewer: true,
      });
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
