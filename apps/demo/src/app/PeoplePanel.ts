import type { Room, RoomCreation, RoomMember, RoomRole } from '@xsync/core';
import { LitElement, html, nothing } from 'lit';
import { inWords } from '../errors.js';

type Settings = Required<RoomCreation>;

const ROLE_NAMES: Record<RoomRole, string> = { owner: 'an owner', editor: 'an editor', viewer: 'a viewer' };

/** Who may enter and who edits, in a sentence ([ACC1], [ACC2]). */
export function describeAccess({ access, editors }: Pick<Settings, 'access' | 'editors'>): string {
  if (access === 'private') return 'Private: only the people its owners add can enter.';
  if (access === 'members-only') return 'Members only: members can invite others in.';
  return editors === 'members'
    ? 'Public: anyone on the server can enter and look; members edit.'
    : 'Public: anyone on the server can enter and edit.';
}

/**
 * `<demo-people>`: the visitor's role in the room, and what they may do about who is in it:
 * owners see how the room is set up, list its members, add people by address with a role
 * and remove them; members of a members-only room invite people by address. The server
 * enforces all of it: this panel only offers what it would accept.
 */
export class PeoplePanel extends LitElement {
  static override properties = {
    room: { attribute: false },
    roomRole: { attribute: false },
    self: { type: String },
    settings: { state: true },
    members: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare room: Room | undefined;
  /** The visitor's role in the room. */
  declare roomRole: RoomRole | undefined;
  /** The visitor's bare JID. */
  declare self: string;
  declare settings: Settings | undefined;
  declare members: RoomMember[];
  declare problem: string | undefined;
  declare notice: string | undefined;

  constructor() {
    super();
    this.self = '';
    this.members = [];
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if ((changed.has('roomRole') || changed.has('room')) && this.roomRole === 'owner') void this.#load();
  }

  /** Reads the room's set-up and members: an owner's read. */
  async #load(): Promise<void> {
    const room = this.room;
    if (!room) return;
    try {
      [this.settings, this.members] = await Promise.all([room.settings(), room.members()]);
    } catch (error) {
      this.problem = inWords(error, 'manage');
    }
  }

  protected override render() {
    const role = this.roomRole;
    return html`<h2 id="people-heading">Access</h2>
      <p class="own-role" data-role=${role ?? 'none'}>
        ${role ? html`You are <strong>${ROLE_NAMES[role]}</strong> of this room.` : 'Entering…'}
        ${role === 'viewer' ? html`<br /><span class="hint">Ask an owner to make you an editor.</span>` : nothing}
      </p>
      ${role === 'owner' ? this.#renderOwner() : nothing} ${role === 'editor' ? this.#renderInvite() : nothing}
      <p class="problem" role="alert">${this.problem ?? nothing}</p>
      <p class="notice" role="status">${this.notice ?? nothing}</p>`;
  }

  #renderOwner() {
    const settings = this.settings;
    if (!settings) return html`<p>Reading the room's settings…</p>`;
    const viewers = settings.access === 'public' && settings.editors === 'members';
    return html`<p class="access">${describeAccess(settings)}</p>
      <h3 id="members-heading">Members</h3>
      <ul class="members" aria-labelledby="members-heading">
        ${this.members.map(
          (member) =>
            html`<li>
              <span class="jid">${member.jid}</span>
              <span class="member-role">${member.role === 'owner' ? 'Owner' : 'Editor'}</span>
              ${
                member.jid === this.self
                  ? nothing
                  : html`<button
                      type="button"
                      aria-label="Remove ${member.jid}"
                      @click=${() => void this.#setRole(member.jid, 'none')}
                    >
                      Remove
                    </button>`
              }
            </li>`,
        )}
      </ul>
      <form class="add-person" @submit=${this.#onAdd}>
        <p>
          <label for="person-jid">Add someone by address</label>
          <input id="person-jid" name="jid" type="email" required placeholder="name@example.org" />
        </p>
        <p>
          <label for="person-role">as</label>
          <select id="person-role" name="role">
            <option value="editor">Editor</option>
            ${viewers ? html`<option value="viewer">Viewer</option>` : nothing}
            <option value="owner">Owner</option>
          </select>
          <button type="submit">Add</button>
        </p>
      </form>`;
  }

  #renderInvite() {
    return html`<form class="invite" @submit=${this.#onInvite}>
      <p>
        <label for="invite-jid">Invite someone by address</label>
        <input id="invite-jid" name="jid" type="email" required placeholder="name@example.org" />
        <button type="submit">Invite</button>
      </p>
      <p class="hint">In a members-only room an invitation lets them in; in a private room only an owner can.</p>
    </form>`;
  }

  async #setRole(jid: string, role: RoomRole | 'none'): Promise<void> {
    this.problem = undefined;
    this.notice = undefined;
    try {
      await this.room!.setRole(jid, role);
      this.notice = role === 'none' ? `${jid} is no longer a member.` : `${jid} is now ${ROLE_NAMES[role]}.`;
      this.members = await this.room!.members();
    } catch (error) {
      this.problem = inWords(error, 'manage');
    }
  }

  readonly #onAdd = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const jid = String(data.get('jid') ?? '').trim();
    const role = String(data.get('role')) as RoomRole;
    void this.#setRole(jid, role).then(() => {
      if (!this.problem) form.reset();
    });
  };

  readonly #onInvite = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const jid = String(new FormData(form).get('jid') ?? '').trim();
    this.problem = undefined;
    this.room!.invite(jid).then(
      () => {
        this.notice = `${jid} is invited.`;
        form.reset();
      },
      (error: unknown) => (this.problem = inWords(error, 'manage')),
    );
  };
}

customElements.define('demo-people', PeoplePanel);

declare global {
  interface HTMLElementTagNameMap {
    'demo-people': PeoplePanel;
  }
}
