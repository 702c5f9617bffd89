import type { Room } from '@xsync/core';
import {
  RoomAccess,
  type SyncState,
  type XmppProvider,
  announceUser,
  watchRole,
  watchSyncState,
} from '@xsync/core/yjs';
import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { boundsOf, download, exportPng, exportStandaloneSvg, exportSvg } from './export.js';
import { Board } from './model/Board.js';
import { align, bringToFront, distribute, duplicate, sendToBack } from './model/commands.js';
import { placedSize, storeImage } from './model/images.js';
import { type Box, type Shape, boxesOverlap } from './model/shapes.js';
import { DEFAULT_STYLE, type Style, styleFields } from './model/style.js';
import { registerBuiltinShapes } from './render/builtinShapes.js';
import { ShapeLayer } from './render/ShapeLayer.js';
import { type ShapeDefinition, ShapeRegistry, cachedBounds, resizeFields, shapeHit } from './render/ShapeRegistry.js';
import { styles } from './styles.js';
import type { Guide } from './tools/snapping.js';
import { selectionFrame } from './tools/select.js';
import { type BoardPoint, type Tool, type ToolContext, builtinTools } from './tools/tools.js';
import { ClipboardController, fromTextField } from './ui/ClipboardController.js';
import { FrameWork } from './ui/frames.js';
import { GestureController } from './ui/GestureController.js';
import { type Command, commandFor } from './ui/keyboard.js';
import { renderCursors, renderFollowing, renderGuides, renderSelection } from './ui/overlays.js';
import { type PropertiesActions, propertiesFor, renderProperties } from './ui/properties.js';
import { readUsers } from './ui/presence.js';
import { TextController } from './ui/TextController.js';
import { type RemoteUser, type ToolbarActions, renderToolbar } from './ui/toolbar.js';
import { ViewController } from './ui/ViewController.js';

/** Prefix of the whiteboard's documents in the room ([ENV3]). */
export const DOC_PREFIX = 'whiteboard:';

const sharedShapes = new ShapeRegistry();
registerBuiltinShapes(sharedShapes);
const extraTools: Tool[] = [];

/**
 * `<xmpp-whiteboard>`: a shared whiteboard in an xsync room. Shapes live in Yjs, so
 * concurrent edits merge; strokes stream while the pen is down; undo takes back only this
 * user's changes. A viewer of the room ([ACC2]) gets a read-only board, as with `readonly`.
 *
 * @fires change - the board changed; `detail: { shapes }` (how many)
 * @fires status - the sync state changed; `detail: SyncState`
 * @fires error - a connection failed, or a remote update was refused; `detail: { error }` or `{ rejection }`
 * @csspart toolbar - tools, undo, zoom, export, who is here
 * @csspart properties - colours, fill, width, line style, font size and opacity of the selection or the next shape
 * @csspart canvas - the drawing surface (SVG)
 * @csspart presence - who is here
 * @csspart status - the state of this user's work ("All changes saved")
 * @csspart export - the SVG and PNG buttons (a page with its own export place hides them)
 * @csspart role - "View only", while the room makes this user a viewer (the board is then read-only)
 * @cssprop --xsync-whiteboard-background - toolbar and buttons background
 * @cssprop --xsync-whiteboard-canvas - drawing surface background
 * @cssprop --xsync-whiteboard-color - text colour
 * @cssprop --xsync-whiteboard-accent - selection, focus rings and pressed buttons
 * @cssprop --xsync-whiteboard-border - borders
 */
export class XmppWhiteboard extends LitElement {
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
    userName: { type: String, attribute: 'user-name' },
    userColor: { type: String, attribute: 'user-color' },
    inlineImages: { type: Boolean, attribute: 'inline-images' },
    snap: { type: Boolean },
    provider: { attribute: false },
    xmppRoom: { attribute: false },
  };

  /** Adds a shape kind for every whiteboard on the page (a plugin). */
  static registerShape<S extends Shape>(definition: ShapeDefinition<S>): void {
    sharedShapes.register(definition as unknown as ShapeDefinition);
  }

  /** Adds a tool to every whiteboard's toolbar created from now on (a plugin). */
  static registerTool(tool: Tool): void {
    extraTools.push(tool);
  }

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
  /** Name of the board in the room. Default: `board`. */
  declare doc: string;
  /** Look, pan and zoom, but do not draw. */
  declare readonly: boolean;
  /** Name and colour others see on this user's cursor. */
  declare userName: string | undefined;
  declare userColor: string | undefined;
  /** Keep images inline even when the server offers HTTP File Upload. */
  declare inlineImages: boolean;
  /** Dragged shapes always snap to what is in view; without it, they snap while Ctrl (⌘) is held. */
  declare snap: boolean;
  /** A provider to use as is (its document is the board). The element never destroys it. */
  declare provider: XmppProvider | undefined;
  /** A joined `Room` of `@xsync/core` to use instead of connecting with the attributes. */
  declare xmppRoom: Room | undefined;

  readonly registry = sharedShapes;
  readonly tools: Tool[] = [...builtinTools(), ...extraTools];
  /** Each tool's shortcut key, as the keyboard reads it. */
  readonly #toolKeys: ReadonlyMap<string, string> = new Map(this.tools.map((tool) => [tool.shortcut, tool.name]));
  #tool: Tool = this.tools.find((tool) => tool.name === 'pen')!;
  #style: Style = { ...DEFAULT_STYLE };
  #confirmingClear = false;
  /** The properties panel is folded away to one button. */
  #propertiesFolded = false;
  /** The board holds no shape: a hint says how to begin. */
  #empty = true;
  #selection = new Set<string>();
  /** Lines showing what a dragged selection lines up with. */
  #guides: readonly Guide[] = [];
  #room: RoomAccess | undefined;
  #active: XmppProvider | undefined;
  #board: Board | undefined;
  #layer: ShapeLayer | undefined;
  #detach: Array<() => void> = [];
  #status: SyncState = { state: 'offline', unsynced: 0 };
  #users: RemoteUser[] = [];
  /** The room made this client a viewer ([ACC2]): the server refuses its edits anyway. */
  #viewOnly = false;
  readonly #frames = new FrameWork();
  readonly #view = new ViewController(this, {
    surface: () => this.renderRoot.querySelector<SVGSVGElement>('svg[part="canvas"]') ?? undefined,
    changed: () => this.#frames.schedule('view', () => this.#publishView()),
  });
  readonly #gestures = new GestureController(this, {
    surface: () => this.#svg,
    tool: () => this.#tool,
    context: () => (this.#board ? this.#context : undefined),
    readOnly: () => this.#readOnly,
    awareness: () => this.#active?.awareness,
    view: this.#view,
    frames: this.#frames,
  });
  readonly #text = new TextController(this, {
    view: this.#view,
    surfaceBox: () => this.#svg.getBoundingClientRect(),
    hostBox: () => this.getBoundingClientRect(),
    // The board's shortcuts work again at once, as they did before the text box opened.
    done: () => this.#active && this.#svg.focus({ preventScroll: true }),
  });
  #generation = 0;

  constructor() {
    super();
    this.doc = 'board';
    this.readonly = false;
    this.inlineImages = false;
    this.snap = false;
    new ClipboardController(this, {
      board: () => this.#board,
      selection: () => this.#selection,
      select: (ids) => this.#select(ids),
      readOnly: () => this.#readOnly,
      addImage: (file) => this.addImage(file).catch((error: Error) => this.#fail(error)),
    });
  }

  /** The board's shapes, once connected. */
  get board(): Board | undefined {
    return this.#board;
  }

  get status(): SyncState {
    return this.#status;
  }

  /** Who is here and where their pointers are (y-protocols awareness), once connected. */
  get awareness(): XmppProvider['awareness'] | undefined {
    return this.#active?.awareness;
  }

  /** The selected tool's name. */
  get tool(): string {
    return this.#tool.name;
  }

  set tool(name: string) {
    const tool = this.tools.find((candidate) => candidate.name === name);
    if (!tool) throw new RangeError(`no tool ${name}`);
    this.#tool = tool;
    this.requestUpdate();
  }

  get selection(): ReadonlySet<string> {
    return this.#selection;
  }

  undo(): void {
    this.#board?.undoManager.undo();
  }

  redo(): void {
    this.#board?.undoManager.redo();
  }

  /** Removes every shape, for everyone (undoable by this user). */
  clear(): void {
    if (!this.#readOnly) this.#board?.clear();
  }

  readonly #toolbarActions: ToolbarActions = {
    chooseTool: (name) => (this.tool = name),
    undo: () => this.undo(),
    redo: () => this.redo(),
    zoomBy: (factor) => this.zoomBy(factor),
    resetZoom: () => this.resetZoom(),
    goTo: (clientId) => this.goTo(clientId),
    follow: (clientId) => this.follow(clientId),
    zoomToFit: () => this.zoomToFit(),
    download: (kind) => void this.#download(kind),
    askClear: () => {
      this.#confirmingClear = !this.#confirmingClear;
      this.requestUpdate();
    },
    clear: () => {
      this.#confirmingClear = false;
      this.clear();
      this.requestUpdate();
    },
    cancelClear: () => {
      this.#confirmingClear = false;
      this.requestUpdate();
    },
  };

  readonly #propertiesActions: PropertiesActions = {
    restyle: (style) => this.restyle(style),
    bringToFront: () => this.#run('bring-to-front'),
    sendToBack: () => this.#run('send-to-back'),
    duplicate: () => this.#run('duplicate'),
    remove: () => this.#run('delete'),
    align: (to) => this.#arrange((board, bounds) => align(board, this.#selection, bounds, to)),
    distribute: (axis) => this.#arrange((board, bounds) => distribute(board, this.#selection, bounds, axis)),
    fold: (folded) => {
      this.#propertiesFolded = folded;
      this.requestUpdate();
    },
  };

  /** Moves the selected shapes by their bounds as drawn, as one undo step. */
  #arrange(move: (board: Board, bounds: (shape: Shape) => Box) => void): void {
    const board = this.#board;
    if (!board || this.#readOnly) return;
    board.undoManager.stopCapturing();
    move(board, (shape) => cachedBounds(this.registry.get(shape.type)!, shape));
    board.undoManager.stopCapturing();
  }

  /** The style of the next shape. */
  get nextStyle(): Style {
    return this.#style;
  }

  /**
   * Sets the style of the next shape, and gives it to the selected shapes that take it, as
   * one undo step.
   */
  restyle(style: Partial<Style>): void {
    this.#style = { ...this.#style, ...style };
    const board = this.#board;
    if (board && !this.#readOnly && this.#selection.size > 0) {
      board.undoManager.stopCapturing();
      board.transact(() => {
        for (const id of this.#selection) {
          const shape = board.get(id);
          if (shape) board.update(id, styleFields(this.registry.get(shape.type)!, style));
        }
      });
      board.undoManager.stopCapturing();
    }
    this.requestUpdate();
  }

  /** SVG of the board, or of the selection when `selectionOnly`; uploaded images are linked. */
  exportSvg(selectionOnly = false): string {
    return exportSvg(this.#connectedBoard(), this.registry, this.#exported(selectionOnly));
  }

  /** The same SVG standing alone: uploaded images are fetched and embedded (what the SVG button saves). */
  exportStandaloneSvg(selectionOnly = false): Promise<string> {
    return exportStandaloneSvg(this.#connectedBoard(), this.registry, this.#exported(selectionOnly));
  }

  /** PNG of the board, or of the selection when `selectionOnly`, images included. */
  exportPng(selectionOnly = false): Promise<Blob> {
    return exportPng(this.#connectedBoard(), this.registry, this.#exported(selectionOnly));
  }

  #connectedBoard(): Board {
    if (!this.#board) throw new Error('not connected');
    return this.#board;
  }

  /** What an export holds: the selection when asked for and there is one, else the board. */
  #exported(selectionOnly: boolean): ReadonlySet<string> | undefined {
    return selectionOnly && this.#selection.size > 0 ? this.#selection : undefined;
  }

  /**
   * Places an image file on the board ([WB3]): uploaded through the server's XEP-0363 service
   * when it has one, else inline up to {@link MAX_INLINE_IMAGE} bytes.
   */
  async addImage(file: Blob, at?: { x: number; y: number }): Promise<void> {
    const provider = this.#active;
    if (!this.#board || !provider || this.#readOnly) return;
    const href = await storeImage(provider.room.connection, file, this.inlineImages);
    const { w, h } = await placedSize(file);
    const center = at ?? this.#view.center;
    this.#board.undoManager.stopCapturing();
    this.#board.add({
      type: 'image',
      x: center.x - w / 2,
      y: center.y - h / 2,
      w,
      h,
      href,
      color: '#000000',
      width: 1,
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#connect();
    this.addEventListener('keydown', this.#onKeyDown);
    this.addEventListener('keyup', this.#onKeyUp);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKeyDown);
    this.removeEventListener('keyup', this.#onKeyUp);
    // What waited for a frame was for this board, which goes now.
    this.#frames.discard();
    void this.#teardown();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const connection = ['service', 'jid', 'password', 'room', 'bots', 'nick', 'provider', 'xmppRoom', 'doc'] as const;
    if (connection.some((name) => changed.has(name))) void this.#connect();
    if ((changed.has('userName') || changed.has('userColor')) && this.#active) this.#announceUser();
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('.text-input');
    if (input && (this.renderRoot as ShadowRoot).activeElement !== input) input.focus();
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    await this.#teardown(false);
    try {
      const room = await RoomAccess.open(this);
      if (generation !== this.#generation) return void (await room?.close());
      this.#room = room;
      const provider = this.provider ?? room?.provider(`${DOC_PREFIX}${this.doc}`);
      if (provider) this.#attach(provider);
      // The provider joins and catches up with the login; a failed login is told here.
      await room?.ready;
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #attach(provider: XmppProvider): void {
    this.#active = provider;
    const board = new Board(provider.doc, this.registry);
    this.#board = board;
    this.#empty = board.size === 0;
    const settled = this.renderRoot.querySelector<SVGGElement>('g.shapes')!;
    const live = this.renderRoot.querySelector<SVGGElement>('g.live')!;
    this.#layer = new ShapeLayer(settled, live, board, this.registry);
    this.#layer.reset();
    const unobserve = board.observe((ids) => {
      this.#layer!.update(ids);
      // Shapes are drawn by the layer; the template only shows the selection's outline.
      let selectionChanged = false;
      for (const id of ids) {
        if (!this.#selection.has(id)) continue;
        selectionChanged = true;
        if (!board.get(id)) this.#selection.delete(id);
      }
      if (selectionChanged || (board.size === 0) !== this.#empty) this.requestUpdate();
      this.#empty = board.size === 0;
      this.dispatchEvent(new CustomEvent('change', { detail: { shapes: board.size } }));
    });
    const onRejected = (rejection: unknown) =>
      this.dispatchEvent(new CustomEvent('error', { detail: { rejection }, bubbles: true, composed: true }));
    const onError = (error: Error) => this.#fail(error);
    const onAwareness = () => this.#readUsers();
    provider.on('rejected', onRejected);
    provider.on('connection-error', onError);
    provider.awareness.on('change', onAwareness);
    const unwatch = watchSyncState(provider, (status) => this.#setStatus(status));
    const unwatchRole = watchRole(provider.room, (role) => {
      this.#viewOnly = role === 'viewer';
      // A viewer selects and pans; no drawing tool stays chosen.
      if (this.#viewOnly) this.tool = 'select';
      this.requestUpdate();
    });
    this.#detach.push(() => {
      unobserve();
      unwatch();
      unwatchRole();
      provider.off('rejected', onRejected);
      provider.off('connection-error', onError);
      provider.awareness.off('change', onAwareness);
      board.destroy();
      this.#layer?.destroy();
    });
    this.#announceUser();
    this.#frames.schedule('view', () => this.#publishView());
    this.requestUpdate();
  }

  /** Tells the others what part of the board this user sees, for them to follow. */
  #publishView(): void {
    const view = this.#view.visible;
    if (view) this.#active?.awareness.setLocalStateField('view', view);
  }

  #announceUser(): void {
    announceUser(this.#active!.awareness, { name: this.userName ?? this.nick, color: this.userColor });
  }

  #readUsers(): void {
    const provider = this.#active;
    if (!provider) return;
    this.#users = readUsers(provider.awareness);
    this.#view.followFrom(this.#users);
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

  async #teardown(all = true): Promise<void> {
    if (all) this.#generation++;
    for (const detach of this.#detach.splice(0)) detach();
    this.#active = undefined;
    this.#board = undefined;
    this.#layer = undefined;
    this.#selection.clear();
    // A text prompt open on the old board is answered, so its tool does not wait forever.
    this.#text.cancel();
    const room = this.#room;
    this.#room = undefined;
    await room?.close();
  }

  /**
   * Nothing is drawn or changed: the page asked for it, the room's role says so, or the room
   * has not yet said who this participant is, without which no edit could be shared ([YJS4]).
   */
  get #readOnly(): boolean {
    return this.readonly || this.#viewOnly || !this.#active?.identified;
  }

  // Gestures

  get #svg(): SVGSVGElement {
    return this.renderRoot.querySelector('svg[part="canvas"]')!;
  }

  /** Where a shape of the board is: drawn bounds, and the frame it turns and resizes in. */
  readonly #geometry: Pick<ToolContext, 'boundsOf' | 'frameOf'> = {
    boundsOf: (id) => {
      const shape = this.#board?.get(id);
      return shape && cachedBounds(this.registry.get(shape.type)!, shape);
    },
    frameOf: (id) => {
      const shape = this.#board?.get(id);
      return shape && { box: this.registry.get(shape.type)!.bounds(shape), rotation: shape.rotation };
    },
  };

  get #context(): ToolContext {
    const board = this.#board!;
    const currentSelection = () => this.#selection;
    const definitionOf = (shape: Shape) => this.registry.get(shape.type)!;
    return {
      board,
      style: this.#style,
      scale: 1 / this.#view.viewport.scale,
      alwaysSnap: this.snap,
      get selection() {
        return currentSelection();
      },
      select: (ids) => this.#select(ids),
      hitTest: (point, radius) => this.#hitTest(point, radius),
      inBox: (box) =>
        board
          .all()
          .filter((shape) => boxesOverlap(box, cachedBounds(definitionOf(shape), shape)))
          .map((shape) => shape.id),
      ...this.#geometry,
      snapTargets: (except) => {
        const view = this.#view.visible;
        return board
          .all()
          .filter((shape) => !except.has(shape.id))
          .map((shape) => cachedBounds(definitionOf(shape), shape))
          .filter((box) => !view || boxesOverlap(box, view));
      },
      showGuides: (guides) => {
        if (guides.length === 0 && this.#guides.length === 0) return;
        this.#guides = guides;
        this.requestUpdate();
      },
      resizeFields: (shape, from, to) => resizeFields(definitionOf(shape), shape, from, to),
      onFrame: (key, work) => this.#frames.schedule(key, work),
      askText: (point, initial) => this.#text.ask(point, initial),
    };
  }

  /** The shapes whose ink a press at `point` meets, topmost first. */
  #hitTest(point: BoardPoint, radius: number): string[] {
    return this.#board!.all()
      .filter((shape) => shapeHit(this.registry.get(shape.type)!, shape, point, radius))
      .map((shape) => shape.id)
      .reverse();
  }

  /** Pans by screen pixels. */
  panBy(dx: number, dy: number): void {
    this.#view.panBy(dx, dy);
  }

  zoomBy(factor: number): void {
    this.#view.zoomTo(this.#view.viewport.scale * factor);
  }

  /** The current zoom: 1 is 100 %. */
  get zoom(): number {
    return this.#view.viewport.scale;
  }

  /** The part of the board in view, in board units. */
  get view(): Box | undefined {
    return this.#view.visible;
  }

  /**
   * Centres the view on another person's pointer (by awareness client id), at the current
   * zoom; nothing happens while their pointer is unknown.
   */
  goTo(clientId: number): void {
    const pointer = this.#users.find((user) => user.clientId === clientId)?.pointer;
    if (pointer) this.#view.centerOn(pointer);
  }

  /**
   * Follows another person's view (by awareness client id): this view shows what theirs shows
   * and moves with it, until this user pans or zooms, calls `follow(undefined)`, or they leave.
   */
  follow(clientId: number | undefined): void {
    this.#view.follow(clientId, this.#users);
  }

  /** Whose view this one follows (an awareness client id). */
  get following(): number | undefined {
    return this.#view.following;
  }

  /** Back to 100 %, around the middle of the view. */
  resetZoom(): void {
    this.#view.zoomTo(1);
  }

  /** Shows every shape, as large as fits (at most 100 %); an empty board goes back to its origin. */
  zoomToFit(): void {
    const board = this.#board;
    this.#view.show(board && board.size > 0 ? boundsOf(board, this.registry) : undefined, 1);
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (fromTextField(event) || this.#text.open) return;
    if (event.key === ' ') this.#gestures.spaceKey(true);
    const command = commandFor(event, this.#toolKeys);
    if (!command) return;
    if (typeof command === 'string' && command !== 'deselect' && command !== 'delete') event.preventDefault();
    if (command === 'delete' && this.#selection.size > 0) event.preventDefault();
    this.#run(command);
  };

  /** Does what a shortcut or a button of the properties panel asks. */
  #run(command: Command): void {
    const board = this.#board;
    if (typeof command === 'object') {
      if (!this.#readOnly || command.tool === 'select') this.tool = command.tool;
      return;
    }
    if (command === 'undo') this.undo();
    else if (command === 'redo') this.redo();
    else if (command === 'zoom-to-fit') this.zoomToFit();
    else if (command === 'reset-zoom') this.resetZoom();
    else if (command === 'deselect') this.#select([]);
    else if (command === 'select-all' && board) this.#select(board.all().map((shape) => shape.id));
    if (!board || this.#readOnly || this.#selection.size === 0) return;
    if (command === 'duplicate') this.#select(duplicate(board, this.#selection));
    else if (command === 'bring-to-front') bringToFront(board, this.#selection);
    else if (command === 'send-to-back') sendToBack(board, this.#selection);
    else if (command === 'delete') {
      board.remove(this.#selection);
      this.#select([]);
    }
  }

  readonly #onKeyUp = (event: KeyboardEvent): void => {
    if (event.key === ' ') this.#gestures.spaceKey(false);
  };

  #select(ids: Iterable<string>): void {
    this.#selection = new Set(ids);
    this.requestUpdate();
  }

  #onDrop(event: DragEvent): void {
    const file = [...(event.dataTransfer?.files ?? [])].find((candidate) => candidate.type.startsWith('image/'));
    if (!file) return;
    event.preventDefault();
    const point = this.#view.toBoard(event);
    this.addImage(file, point).catch((error: Error) => this.#fail(error));
  }

  /**
   * A double click on a shape that holds text (a text, a sticky note, a plugin's) edits that
   * text in place; emptied, the shape goes.
   */
  #onDoubleClick(event: MouseEvent): void {
    const board = this.#board;
    if (!board || this.#readOnly) return;
    const point = this.#view.toBoard(event);
    const shape = this.#hitTest(point, 4 / this.#view.viewport.scale)
      .map((id) => board.get(id))
      .find((candidate) => typeof candidate?.text === 'string');
    if (!shape) return;
    event.preventDefault();
    this.#selection = new Set([shape.id]);
    const at = shape.type === 'text' ? shape : { x: shape.x + 10, y: shape.y + 10 };
    void this.#context.askText(at, shape.text as string).then((text) => {
      if (!board.get(shape.id)) return;
      board.undoManager.stopCapturing();
      if (text === undefined) board.remove([shape.id]);
      else board.update(shape.id, { text });
      board.undoManager.stopCapturing();
    });
  }

  async #download(kind: 'svg' | 'png'): Promise<void> {
    const file =
      kind === 'svg'
        ? new Blob([await this.exportStandaloneSvg(true)], { type: 'image/svg+xml' })
        : await this.exportPng(true);
    download(file, `${this.doc}.${kind}`);
  }

  // Rendering

  protected override render() {
    const { x, y, scale } = this.#view.viewport;
    return html`<div class="frame">
        ${renderToolbar(
          {
            tools: this.tools,
            tool: this.#tool,
            readOnly: this.#readOnly,
            viewOnly: this.#viewOnly,
            users: this.#users,
            status: this.#status,
            confirmingClear: this.#confirmingClear,
            zoom: scale,
            following: this.#view.following,
          },
          this.#toolbarActions,
        )}
        <div class="surface">
          ${this.#renderProperties()} ${this.#renderFollowing()}
          ${
            this.#empty && this.#board && !this.#readOnly
              ? html`<p class="empty-hint">Draw with the pen (P), write with T, add a note, or drop an image here.</p>`
              : nothing
          }
          ${['shapes', 'live'].map(
            (name) =>
              html`<svg
                class="layer"
                aria-hidden="true"
                style="transform: translate(${-x * scale}px, ${-y * scale}px) scale(${scale})"
              >
                <g class=${name}></g>
              </svg>`,
          )}
          <svg
            part="canvas"
            tabindex="0"
            role="img"
            aria-label="Whiteboard"
            data-tool=${this.#tool.name}
            ?data-panning=${this.#gestures.panning}
            @pointerdown=${(event: PointerEvent) => this.#gestures.pointerDown(event)}
            @pointermove=${(event: PointerEvent) => this.#gestures.pointerMove(event)}
            @pointerup=${(event: PointerEvent) => this.#gestures.pointerUp(event)}
            @pointercancel=${(event: PointerEvent) => this.#gestures.pointerUp(event)}
            @wheel=${(event: WheelEvent) => this.#gestures.wheel(event)}
            @dblclick=${(event: MouseEvent) => this.#onDoubleClick(event)}
            @dragover=${(event: DragEvent) => event.preventDefault()}
            @drop=${(event: DragEvent) => this.#onDrop(event)}
          >
            <g transform="scale(${scale}) translate(${-x} ${-y})">
              ${this.#renderSelection()} ${renderGuides(this.#guides)} ${renderCursors(this.#users, scale)}
            </g>
          </svg>
        </div>
      </div>
      ${this.#text.render()} `;
  }

  #renderSelection() {
    if (!this.#board) return nothing;
    const geometry = this.#geometry;
    const frames = [...this.#selection].map((id) => geometry.frameOf(id)).filter((frame) => frame !== undefined);
    return renderSelection(frames, selectionFrame(geometry, this.#selection), this.#view.viewport.scale);
  }

  #renderProperties() {
    const board = this.#board;
    if (!board || this.#readOnly) return nothing;
    const selected = [...this.#selection].map((id) => board.get(id)).filter((shape) => shape !== undefined);
    const state = propertiesFor(this.registry, selected, this.#tool, this.#style, this.#propertiesFolded);
    return state ? renderProperties(state, this.#propertiesActions) : nothing;
  }

  #renderFollowing() {
    const user = this.#users.find((candidate) => candidate.clientId === this.#view.following);
    return user ? renderFollowing(user, () => this.follow(undefined)) : nothing;
  }
}
