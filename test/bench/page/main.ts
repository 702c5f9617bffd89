// One editor of the keystroke-to-remote-render benchmark (test/bench/editor.mjs), one per page
// as with real people: it types into a line of its own at a human rate, and records when each
// other editor's keystrokes show up in its CodeMirror view. Runs <xmpp-editor> (xsync) or
// CodeMirror + y-codemirror.next over y-websocket, with the same typing trace.
import '@xsync/editor';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { yCollab } from 'y-codemirror.next';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

interface XsyncEditorConfig {
  service: string;
  jid: string;
  password: string;
  room: string;
}

interface Run {
  /** Editors: xsync connection settings, or y-websocket's URL and room for each. */
  editors: Array<{ xsync: XsyncEditorConfig } | { yws: { url: string; room: string } }>;
}

/** One editor as the benchmark sees it: a way to type, and a callback on every rendered change. */
interface BenchEditor {
  type(line: number, char: string): void;
  lineLengths(): number[];
  text(): string;
  onRendered(listener: () => void): void;
  ready(): Promise<void>;
  destroy(): void;
}

function xsyncEditor(config: XsyncEditorConfig): BenchEditor {
  const element = document.createElement('xmpp-editor');
  for (const [name, value] of Object.entries(config)) element.setAttribute(name, value);
  element.setAttribute('doc', 'bench');
  document.body.append(element);
  const view = () => EditorView.findFromDOM(element.shadowRoot!.querySelector('.cm-editor') as HTMLElement)!;
  return {
    type: (line, char) => insertAtLineEnd(view(), line, char),
    lineLengths: () => lengths(view()),
    text: () => element.value,
    onRendered: (listener) => element.addEventListener('change', listener),
    ready: () => until(() => element.status.state === 'synced'),
    destroy: () => element.remove(),
  };
}

function yWebsocketEditor(url: string, room: string): BenchEditor {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, { disableBc: true });
  const ytext = doc.getText('content');
  const listeners: Array<() => void> = [];
  const parent = document.body.appendChild(document.createElement('div'));
  const view = new EditorView({
    state: EditorState.create({
      doc: ytext.toString(),
      extensions: [
        yCollab(ytext, provider.awareness),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) for (const listener of listeners) listener();
        }),
      ],
    }),
    parent,
  });
  return {
    type: (line, char) => insertAtLineEnd(view, line, char),
    lineLengths: () => lengths(view),
    text: () => ytext.toString(),
    onRendered: (listener) => listeners.push(listener),
    ready: () => until(() => provider.synced),
    destroy: () => {
      view.destroy();
      provider.destroy();
      parent.remove();
    },
  };
}

function insertAtLineEnd(view: EditorView, line: number, char: string): void {
  const at = view.state.doc.line(line + 1).to;
  view.dispatch({ changes: { from: at, insert: char }, userEvent: 'input.type' });
}

function lengths(view: EditorView): number[] {
  const result: number[] = [];
  for (let i = 1; i <= view.state.doc.lines; i++) result.push(view.state.doc.line(i).length);
  return result;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Wall-clock milliseconds, comparable between pages (each page has its own timeOrigin). */
const now = () => performance.timeOrigin + performance.now();

let editor: BenchEditor | undefined;
let sentAt: number[] = [];
/** arrivals[line][k]: when keystroke k of that line's typist showed up here. */
let arrivals: number[][] = [];

/** Opens this page's one editor and waits until it is synced. */
async function open(config: Run['editors'][number]): Promise<void> {
  editor = 'xsync' in config ? xsyncEditor(config.xsync) : yWebsocketEditor(config.yws.url, config.yws.room);
  await editor.ready();
}

/** The first page makes one line per editor; every page waits until it has them. */
async function prepareLines(count: number, makeThem: boolean): Promise<void> {
  if (makeThem) editor!.type(0, '\n'.repeat(count));
  await until(() => editor!.lineLengths().length > count);
  arrivals = Array.from({ length: count }, () => []);
  const seen = Array.from({ length: count }, () => 0);
  editor!.onRendered(() => {
    const at = now();
    const lengths = editor!.lineLengths();
    for (let line = 0; line < count; line++) {
      for (let k = seen[line]!; k < (lengths[line] ?? 0); k++) arrivals[line]![k] = at;
      seen[line] = Math.max(seen[line]!, lengths[line] ?? 0);
    }
  });
}

/** Types `keystrokes` characters into line `line` at about `keysPerSecond`, starting at wall time `startAt`. */
async function typeLine(line: number, keystrokes: number, keysPerSecond: number, startAt: number): Promise<void> {
  sentAt = [];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - now())));
  for (let k = 0; k < keystrokes; k++) {
    sentAt.push(now());
    editor!.type(line, String.fromCharCode(97 + ((line + k) % 26)));
    // A little jitter, like people typing.
    const gap = (1000 / keysPerSecond) * (0.75 + ((k * 7919) % 50) / 100);
    await new Promise((resolve) => setTimeout(resolve, gap));
  }
}

/** Resolves once every line has `keystrokes` characters here. */
async function waitForAll(count: number, keystrokes: number): Promise<void> {
  const deadline = now() + 30_000;
  await until(
    () =>
      editor!
        .lineLengths()
        .slice(0, count)
        .every((length) => length >= keystrokes) || now() > deadline,
  );
}

function results(): { sentAt: number[]; arrivals: number[][]; text: string } {
  return { sentAt, arrivals, text: editor!.text() };
}

function close(): void {
  editor?.destroy();
  editor = undefined;
}

Object.assign(window, { bench: { open, prepareLines, typeLine, waitForAll, results, close } });
document.body.dataset.ready = 'true';
