import type { Connection } from '../connection/Connection.js';
import { type Element, xml } from '../xml/index.js';
import type { RoomKindName } from './kind.js';
import { NS_MIX_CORE } from './mix/protocol.js';
import { NS_MUC } from './muc/protocol.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

/** Kinds known in this process or page, by service domain: a service's kind does not change. */
const known = new Map<string, RoomKindName>();

/** Queries under way, per connection and service domain. */
const asking = new WeakMap<Connection, Map<string, Promise<RoomKindName>>>();

function serviceOf(address: string): string {
  return address.slice(address.indexOf('@') + 1);
}

/** The kind of a room or service, if discovered or told before; no query. */
export function knownRoomKind(address: string): RoomKindName | undefined {
  return known.get(serviceOf(address));
}

/** Records the kind of a service, as an application that knows it tells. */
export function rememberRoomKind(address: string, kind: RoomKindName): void {
  known.set(serviceOf(address), kind);
}

/** A service that is neither a MIX nor a MUC service. */
export class NotARoomServiceError extends Error {
  override name = 'NotARoomServiceError';
  constructor(readonly service: string) {
    super(`${service} offers neither MUC (XEP-0045) nor MIX (XEP-0369)`);
  }
}

/**
 * The kind of the rooms of a service, from its disco#info features ([KIND1]): MIX where the
 * service speaks `urn:xmpp:mix:core:1`, MUC where it speaks `http://jabber.org/protocol/muc`.
 * `address` is a room's bare JID or the service's domain; the answer is kept for the process.
 */
export function discoverRoomKind(connection: Connection, address: string): Promise<RoomKindName> {
  const service = serviceOf(address);
  const already = known.get(service);
  if (already) return Promise.resolve(already);
  let pending = asking.get(connection);
  if (!pending) asking.set(connection, (pending = new Map()));
  let kind = pending.get(service);
  if (!kind) {
    kind = askService(connection, service);
    pending.set(service, kind);
    const done = pending;
    kind.then(
      (found) => {
        known.set(service, found);
        done.delete(service);
      },
      () => done.delete(service),
    );
  }
  return kind;
}

async function askService(connection: Connection, service: string): Promise<RoomKindName> {
  const answer = await connection.request(
    xml('iq', { type: 'get', to: service }, xml('query', { xmlns: NS_DISCO_INFO })),
  );
  const kind = kindOfDiscoInfo(answer);
  if (!kind) throw new NotARoomServiceError(service);
  return kind;
}

/**
 * The kind a disco#info answer of a service or of a room speaks for ([KIND1]): MIX where it
 * has the feature `urn:xmpp:mix:core:1`, MUC where it has `http://jabber.org/protocol/muc`.
 */
export function kindOfDiscoInfo(answer: Element): RoomKindName | undefined {
  const features = new Set(
    (answer.getChild('query', NS_DISCO_INFO)?.getChildren('feature') ?? []).map((feature) => String(feature.attrs.var)),
  );
  if (features.has(NS_MIX_CORE)) return 'mix';
  if (features.has(NS_MUC)) return 'muc';
  return undefined;
}

/** Bare JIDs of the rooms a service lists (disco#items; MUC lists public rooms only). */
export async function listRooms(connection: Connection, service: string): Promise<string[]> {
  const result = await connection.request(
    xml('iq', { type: 'get', to: service }, xml('query', { xmlns: NS_DISCO_ITEMS })),
  );
  const query = result.getChild('query', NS_DISCO_ITEMS);
  return (query?.getChildren('item') ?? []).map((item) => String(item.attrs.jid)).filter((jid) => jid.includes('@'));
}

/** Whether a room exists: disco#info answers, and `item-not-found` means it does not. */
export async function roomExists(connection: Connection, jid: string): Promise<boolean> {
  try {
    await connection.request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: NS_DISCO_INFO })));
    return true;
  } catch (error) {
    // `gone`: a destroyed room whose name Prosody keeps a tombstone of ([ACC4]).
    const { condition } = error as { condition?: string };
    if (condition === 'item-not-found' || condition === 'gone') return false;
    throw error;
  }
}
