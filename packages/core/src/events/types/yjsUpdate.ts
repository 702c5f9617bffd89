import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { xml } from '../../xml/index.js';
import { textOf } from '../../xml/index.js';
import { decodeBase64, encodeBase64 } from '../base64.js';
import { defineEventType } from '../EventType.js';
import { reject } from '../rejection.js';
import { ownsClientId } from '../../yjs/clientIds.js';

/** Transaction origin of updates applied by the yjs-update reducer. */
export const REMOTE_UPDATE_ORIGIN = Symbol('xsync remote update');

/**
 * Checks a Yjs v1 update from the network before anything touches a document, and returns
 * it. Throws `EventRejectedError` (`invalid-payload`) for empty, truncated or garbled updates.
 */
export function validateYjsUpdate(update: Uint8Array): Uint8Array {
  if (update.length === 0) throw reject('invalid-payload', 'empty Yjs update');
  try {
    // Applying to a scratch document reads every struct and the delete set (truncated or
    // garbled updates throw) and resolves references between structs, so it catches most
    // updates that would throw inside a real one. (A fixed guid spares the random UUID that
    // makes up nine tenths of a new document's cost.)
    Y.applyUpdate(new Y.Doc({ gc: false, guid: 'xsync-validation' }), update);
  } catch (error) {
    throw reject('invalid-payload', `not a Yjs update: ${String(error)}`);
  }
  return update;
}

/**
 * Reads an update from the network all through (every struct and the delete set) without
 * applying it anywhere, and returns it. Throws `EventRejectedError` (`invalid-payload`) for
 * empty, truncated or garbled updates. A decode costs a fraction of an apply; what an update
 * does to a document is checked when it is applied (the reducer), on the part that is new.
 */
export function checkYjsUpdate(update: Uint8Array): Uint8Array {
  if (update.length === 0) throw reject('invalid-payload', 'empty Yjs update');
  let structs;
  let trailing: boolean;
  try {
    ({ structs, trailing } = decodeWhole(update));
  } catch (error) {
    throw reject('invalid-payload', `not a Yjs update: ${String(error)}`);
  }
  // Bytes after the delete set are no part of any update: every reader must refuse them alike.
  if (trailing) throw reject('invalid-payload', 'trailing bytes after the Yjs update');
  const clients = new Set<number>();
  for (const struct of structs) clients.add(struct.id.client);
  authors.set(update, clients);
  return update;
}

/** The byte reader the last {@link WholeUpdateDecoder} was given (decoding is synchronous). */
let lastReader: decoding.Decoder | undefined;

/** Yjs's v1 update decoder, keeping its byte reader so that what is left after it can be told. */
class WholeUpdateDecoder extends Y.UpdateDecoderV1 {
  constructor(bytes: decoding.Decoder) {
    super(bytes);
    lastReader = bytes;
  }
}

/** `Y.decodeUpdate`, and whether bytes are left after the delete set, which Yjs itself never looks at. */
function decodeWhole(update: Uint8Array): { structs: Array<Y.Item | Y.GC | Y.Skip>; trailing: boolean } {
  lastReader = undefined;
  const { structs } = Y.decodeUpdateV2(update, WholeUpdateDecoder);
  const reader = lastReader as decoding.Decoder | undefined;
  lastReader = undefined;
  return { structs, trailing: reader !== undefined && decoding.hasContent(reader) };
}

/** The client ids of each checked update's structs, from the decode that checked it. */
const authors = new WeakMap<Uint8Array, ReadonlySet<number>>();

/**
 * Client ids whose structs an update carries. A delete set may name anyone's items: deleting
 * another's text is an edit like any other.
 */
export function structClients(update: Uint8Array): ReadonlySet<number> {
  let clients = authors.get(update);
  if (!clients) {
    checkYjsUpdate(update);
    clients = authors.get(update)!;
  }
  return clients;
}

/**
 * A Yjs document update (v1 encoding) as base64 text:
 * `<update xmlns='urn:xsync:yjs:1'>AQLr…</update>` ([YJS1]).
 */
export const yjsUpdate = defineEventType<Uint8Array, Y.Doc>({
  name: 'yjs-update',
  namespace: 'urn:xsync:yjs:1',
  element: 'update',
  // Base64 of up to ~576 KiB of update, inside ejabberd's 1 MiB stanza limit.
  limits: { maxSize: 768 * 1024, maxDepth: 1 },
  encode: (update) => xml('update', { xmlns: 'urn:xsync:yjs:1' }, encodeBase64(update)),
  decode: (element) => checkYjsUpdate(decodeBase64(textOf(element))),
  // Every struct must carry a client id of its sender ([YJS4]).
  authorize(update, senderId) {
    for (const client of structClients(update)) {
      if (!ownsClientId(senderId, client)) {
        throw reject('impersonation', `Yjs client ${client} belongs to another participant`);
      }
    }
  },
  describe: (update) => `[xsync] document edit (${update.length} bytes)`,
  commutative: true,
  // Each local change goes live at once; merged changes are committed to the archive ([YP13]).
  lanes: ['durable', 'live'],
  reducer: {
    init: () => new Y.Doc(),
    apply(doc, update) {
      // Only what the document lacks is checked and applied: a commit that repeats updates
      // already applied from the live lane ([YP13]) costs a decode, not an apply.
      const missing = Y.diffUpdate(update, Y.encodeStateVector(doc));
      try {
        validateYjsUpdate(missing);
      } catch (error) {
        throw reject('conflict', `Yjs update failed to apply: ${(error as Error).message}`);
      }
      try {
        Y.applyUpdate(doc, missing, REMOTE_UPDATE_ORIGIN);
      } catch (error) {
        throw reject('conflict', `Yjs update failed to apply: ${String(error)}`);
      }
      return doc;
    },
    // Yjs's v2 encoding: about half the size of v1 for text-heavy documents. Structs and
    // deletions still waiting for what they depend on are part of the state: the
    // encoding carries them and the decoded document waits for the same dependencies, as
    // every replica that received them does.
    codec: {
      encode: (doc) => Y.encodeStateAsUpdateV2(doc),
      decode(bytes) {
        const doc = new Y.Doc();
        Y.applyUpdateV2(doc, bytes);
        return doc;
      },
    },
  },
});
