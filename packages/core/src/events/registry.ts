import { type Element, childElements, xml } from '../xml/index.js';
import type { EventType } from './EventType.js';
import { characterCount, checkLimits, type PayloadLimits } from './limits.js';
import { EventRejectedError, type RejectionReason, reject } from './rejection.js';
import { type ChainPosition, isChainAttributes, sealOf } from './integrity.js';

/** Namespace of the event envelope, `<event xmlns='urn:xsync:1'/>` ([ENV1]). */
export const NS_EVENT = 'urn:xsync:1';

/** Default payload limits ([LIM1]). */
export const DEFAULT_LIMITS: PayloadLimits = { maxSize: 256 * 1024, maxDepth: 8 };

/** Longest `doc` attribute accepted ([ENV3]). */
export const MAX_DOC_LENGTH = 128;

/** Options of {@link EventTypeRegistry.encode}. */
export interface EncodeOptions {
  /** Names the document or stream inside the channel this event belongs to ([ENV3]). */
  doc?: string;
  /** The event's place in its sender's chain, sealed with a digest ([INT1], [INT2]). */
  chain?: ChainPosition;
}

/** A successfully decoded event envelope. */
export interface DecodedEvent<Payload = unknown> {
  ok: true;
  type: EventType<Payload>;
  payload: Payload;
  doc: string | undefined;
  /** Its place in its sender's chain, when it has one and its seal holds ([INT2]). */
  chain: ChainPosition | undefined;
}

/** A refused event envelope. */
export interface RefusedEvent {
  ok: false;
  reason: RejectionReason;
  message: string;
  /** `{namespace}element` of the payload, when there was one. */
  payloadName: string | undefined;
  /** The envelope's document ([ENV3]), when it named a valid one. */
  doc: string | undefined;
}

/** Holds the event types a channel understands; plugin authors add theirs with {@link register}. */
export class EventTypeRegistry {
  readonly #byName = new Map<string, EventType<unknown>>();
  readonly #byElement = new Map<string, EventType<unknown>>();

  /** Adds an event type. Throws if its name or its namespace and element are taken. */
  register<Payload, State>(type: EventType<Payload, State>): EventType<Payload, State> {
    const key = qualifiedName(type.namespace, type.element);
    if (!/^[a-z][a-z0-9.-]*$/.test(type.name)) throw new TypeError(`Invalid event type name: ${type.name}`);
    if (type.namespace === NS_EVENT || !type.namespace) throw new TypeError(`Invalid namespace for ${type.name}`);
    if (this.#byName.has(type.name)) throw new Error(`Event type ${type.name} is already registered`);
    if (this.#byElement.has(key)) throw new Error(`Element ${key} is already registered`);
    this.#byName.set(type.name, type as EventType<unknown>);
    this.#byElement.set(key, type as EventType<unknown>);
    return type;
  }

  /** The event type with this name. */
  get(name: string): EventType<unknown> | undefined {
    return this.#byName.get(name);
  }

  /** All registered types. */
  types(): EventType<unknown>[] {
    return [...this.#byName.values()];
  }

  /** Wraps a payload in the `<event/>` envelope, checking it against the limits peers apply. */
  encode<Payload>(type: EventType<Payload, unknown>, payload: Payload, options: EncodeOptions = {}): Element {
    if (this.#byName.get(type.name) !== type) throw new Error(`Event type ${type.name} is not registered`);
    const element = type.encode(payload);
    if (element.name !== type.element || element.attrs.xmlns !== type.namespace) {
      throw new Error(`${type.name}.encode must return <${type.element} xmlns='${type.namespace}'/>`);
    }
    checkLimits(element, limitsOf(type));
    if (options.doc !== undefined) checkDoc(options.doc);
    if (options.doc !== undefined && type.channelWide)
      throw new Error(`${type.name} belongs to the channel, not to a document`);
    const { chain } = options;
    return xml(
      'event',
      {
        xmlns: NS_EVENT,
        doc: options.doc,
        ...(chain && { chain: chain.id, seq: String(chain.seq), seal: sealOf(chain, options.doc, element) }),
      },
      element,
    );
  }

  /**
   * Reads an `<event/>` envelope, and checks that `senderId` (the sender the room stamped) may
   * send it ({@link EventType.authorize}). Never throws: invalid input yields a {@link RefusedEvent}.
   */
  decode(envelope: Element, senderId?: string): DecodedEvent | RefusedEvent {
    let payloadName: string | undefined;
    let doc: string | undefined;
    try {
      const payloads = childElements(envelope);
      if (payloads.length !== 1) throw reject('malformed', `<event/> must hold one payload, found ${payloads.length}`);
      // Beside the payload, XML whitespace at most: text is no part of any event ([ENV2]).
      if (envelope.children.some((child) => typeof child === 'string' && !/^[ \t\r\n]*$/.test(child))) {
        throw reject('malformed', '<event/> holds text beside its payload');
      }
      const element = payloads[0]!;
      const namespace = element.attrs.xmlns as string | undefined;
      payloadName = qualifiedName(namespace ?? '', element.name);
      const type = this.#byElement.get(payloadName);
      if (!type) throw reject('unknown-type', `no event type for ${payloadName}`);
      const docAttribute = envelope.attrs.doc as string | undefined;
      if (docAttribute !== undefined) checkDoc(docAttribute);
      if (docAttribute !== undefined && type.channelWide) {
        throw reject('malformed', `${type.name} belongs to the channel, not to a document`);
      }
      doc = docAttribute;
      checkLimits(element, limitsOf(type));
      const chain = readChain(envelope, doc, element);
      const payload = type.decode(element);
      if (senderId !== undefined) type.authorize?.(payload, senderId);
      return { ok: true, type, payload, doc, chain };
    } catch (error) {
      if (error instanceof EventRejectedError)
        return { ok: false, reason: error.reason, message: error.message, payloadName, doc };
      // A codec that throws anything else has still met bad input: refuse, never crash.
      return { ok: false, reason: 'invalid-payload', message: String(error), payloadName, doc };
    }
  }
}

/**
 * The envelope's chain position ([INT1]), after checking its seal against the payload as
 * received ([INT2]): `tampered` if it fails, `malformed` if the attributes are not all there
 * or not well-formed. Envelopes without a chain (senders that keep none) have none.
 */
function readChain(envelope: Element, doc: string | undefined, payload: Element): ChainPosition | undefined {
  const { chain, seq, seal } = envelope.attrs as Record<string, string | undefined>;
  if (chain === undefined && seq === undefined && seal === undefined) return undefined;
  if (chain === undefined || seq === undefined || seal === undefined || !isChainAttributes(chain, seq, seal)) {
    throw reject('malformed', 'invalid chain, seq or seal attribute');
  }
  const position = { id: chain, seq: Number(seq) };
  if (sealOf(position, doc, payload) !== seal) throw reject('tampered', `event ${seq} of chain ${chain} was changed`);
  return position;
}

function qualifiedName(namespace: string, element: string): string {
  return `{${namespace}}${element}`;
}

function limitsOf(type: EventType<unknown, unknown>): PayloadLimits {
  return { ...DEFAULT_LIMITS, ...type.limits };
}

function checkDoc(doc: string): void {
  if (doc.length === 0 || characterCount(doc) > MAX_DOC_LENGTH || /[\u0000-\u001f]/.test(doc)) {
    throw reject('malformed', `invalid doc attribute`);
  }
}
