import {
  type Room,
  type RoomEvent,
  type DomOperation,
  type EventTypeRegistry,
  type JsonValue,
  compareArchiveIds,
} from '@xsync/core';
import * as Y from 'yjs';
import { RoomState } from './RoomState.js';
import { type SharedKind, type SharedRoot, typedRoots } from './sharedTypes.js';

/** A point in a channel's history: an archive id (inclusive) or a time. */
export type HistoryPoint = { archiveId: string } | { time: Date };

/** Reads an `--at` value: an ISO 8601 time, or else an archive id. */
export function parseHistoryPoint(text: string): HistoryPoint {
  if (/^\d{4}-\d\d-\d\d/.test(text)) {
    const time = new Date(text);
    if (Number.isNaN(time.getTime())) throw new Error(`not a time: ${text}`);
    return { time };
  }
  return { archiveId: text };
}

/** Whether an event lies at or before a point. */
function upTo(point: HistoryPoint, event: RoomEvent): boolean {
  if ('archiveId' in point) return compareArchiveIds(event.archiveId, point.archiveId) <= 0;
  return event.timestamp === undefined || event.timestamp.getTime() <= point.time.getTime();
}

/**
 * Every document of a channel as it was at a point of its history (the latest state when
 * `point` is undefined), rebuilt from the archive in archive order. A time bound is also passed to the server, so it reads no further.
 */
export async function stateAt(
  channel: Room,
  registry: EventTypeRegistry,
  point: HistoryPoint | undefined,
): Promise<{ state: RoomState; events: number; last: string | undefined }> {
  const state = new RoomState(registry, Infinity);
  let events = 0;
  let last: string | undefined;
  for await (const event of eventsOf(channel, point)) {
    state.apply(event);
    events++;
    last = event.archiveId;
  }
  return { state, events, last };
}

/** The channel's events from the start (or after `from`) up to a point, in archive order. */
export async function* eventsOf(
  channel: Room,
  point: HistoryPoint | undefined,
  from?: string,
): AsyncGenerator<RoomEvent> {
  const query = {
    ...(from !== undefined && { after: from }),
    ...(point && 'time' in point && { until: point.time }),
  };
  for await (const page of channel.historyPages(query)) {
    for (const event of page.events) {
      if (point && !upTo(point, event)) return;
      yield event;
    }
  }
}

/** One step of a replay: who changed what, when. */
export interface ReplayStep {
  archiveId: string;
  time: string | undefined;
  sender: { id: string; jid?: string; nick?: string };
  type: string;
  doc: string | undefined;
  changes: string[];
}

/**
 * Replays events one by one and says what each changed: text inserted and deleted (with
 * positions), map keys set, JSON Patch operations, DOM operations, channel info.
 */
export async function* replaySteps(
  channel: Room,
  registry: EventTypeRegistry,
  options: { from?: string; to?: HistoryPoint },
): AsyncGenerator<ReplayStep> {
  const state = new RoomState(registry, Infinity);
  const observed = new WeakSet<SharedRoot>();
  let changes: string[] = [];
  for await (const event of eventsOf(channel, options.to)) {
    const before = options.from !== undefined && compareArchiveIds(event.archiveId, options.from) <= 0;
    changes = [];
    const result = state.apply(event);
    const doc = event.type.name === 'yjs-update' ? state.yjsDoc(event.doc) : undefined;
    if (doc) {
      for (const [name, { kind, type }] of typedRoots(doc)) {
        if (observed.has(type)) continue;
        // A root this update created: all of its content is new. Later changes are observed.
        changes.push(describeNewRoot(name, kind, type));
        observed.add(type);
        type.observeDeep((events) => changes.push(...events.flatMap((event) => describeYjsEvent(name, event))));
      }
    } else {
      changes = describePayload(event);
    }
    if (before) continue;
    if (!result.applied && result.reason !== 'duplicate') changes = [`not applied: ${result.reason}`];
    yield {
      archiveId: event.archiveId,
      time: event.timestamp?.toISOString(),
      sender: event.sender,
      type: event.type.name,
      doc: event.doc,
      changes,
    };
  }
}

function describeYjsEvent(root: string, event: Y.YEvent<SharedRoot>): string[] {
  const path = [root, ...event.path].join('/');
  if (event instanceof Y.YTextEvent || event.target instanceof Y.Array || event.target instanceof Y.XmlFragment) {
    const lines: string[] = [];
    let index = 0;
    for (const op of event.delta) {
      if (op.retain !== undefined) index += op.retain;
      else if (op.insert !== undefined) {
        const inserted = typeof op.insert === 'string' ? quote(op.insert) : JSON.stringify(op.insert).slice(0, 80);
        lines.push(`${path}: +${inserted} at ${index}`);
        index += typeof op.insert === 'string' ? op.insert.length : (op.insert as unknown[]).length;
      } else if (op.delete !== undefined) lines.push(`${path}: -${op.delete} at ${index}`);
    }
    return lines;
  }
  return [...event.keys].map(([key, change]) =>
    change.action === 'delete'
      ? `${path}.${key}: deleted`
      : `${path}.${key}: ${change.action === 'add' ? 'set' : 'changed'} to ${JSON.stringify((event.target as Y.Map<unknown>).get(key) ?? null).slice(0, 80)}`,
  );
}

function describeNewRoot(name: string, kind: SharedKind, type: SharedRoot): string {
  if (kind === 'map') return `${name}: set ${JSON.stringify(type.toJSON()).slice(0, 80)}`;
  if (kind === 'array') return `${name}: +${JSON.stringify(type.toJSON()).slice(0, 80)} at 0`;
  return `${name}: +${quote(type.toString())} at 0`;
}

function describePayload(event: RoomEvent): string[] {
  switch (event.type.name) {
    case 'json-patch':
      return (event.payload as Array<{ op: string; path: string; value?: JsonValue }>).map(
        (op) => `${op.op} ${op.path}${op.value === undefined ? '' : ` ${JSON.stringify(op.value).slice(0, 80)}`}`,
      );
    case 'dom-ops':
      return (event.payload as DomOperation[]).map((op) =>
        op.op === 'insert' || op.op === 'insert-markup' ? `${op.op} into ${op.parent}` : `${op.op} ${op.id}`,
      );
    case 'channel-info':
      return Object.entries(event.payload as Record<string, string>).map(([key, value]) => `${key}: ${quote(value)}`);
    default:
      return [event.type.describe?.(event.payload) ?? event.type.name];
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text);
}
