import type { Client } from '@xmpp/client';
import { type Element, xml } from '../xml/index.js';

const NS_STREAMS = 'http://etherx.jabber.org/streams';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_SASL2 = 'urn:xmpp:sasl:2';

/**
 * The SASL2 features each service offered before authentication, learned on earlier streams
 * of this process (or page). A server offers the same features to every stream of a user.
 */
const knownFeatures = new Map<string, Element>();

interface PipelinedClient {
  open(...args: unknown[]): Promise<unknown>;
  emit(event: string, value: unknown): void;
  on(event: string, listener: (value: Element) => void): void;
  prependListener(event: string, listener: (value: Element) => void): void;
}

/**
 * Sends SASL2's `<authenticate/>` right behind the stream header when the service's features
 * are known from an earlier stream, instead of waiting a round trip for them (XEP-0305 §3,
 * "pipelining"; XEP-0509 adds a config-version check that no server offers yet): a FAST login, with Bind2 or a resumption inline, then takes one round trip
 * from the open socket. The features are replayed to `@xmpp/client`'s own negotiation, and
 * those the server then sends are spent: only their authentication offers are removed. A
 * stream that fails before it is authenticated forgets what it knew, so the next one asks.
 * Returns whether the current socket's login was pipelined.
 */
export function pipelineAuthentication(xmpp: Client, service: string): () => boolean {
  const client = xmpp as unknown as PipelinedClient;
  let freshSocket = false;
  let pipelined = false;
  let authenticated = false;
  const replayed = new WeakSet<Element>();
  client.on('connect', () => {
    freshSocket = true;
    pipelined = false;
    authenticated = false;
  });
  client.on('disconnect', () => {
    if (pipelined && !authenticated) knownFeatures.delete(service);
  });
  // Before xmpp.js's own listener: it must not negotiate features answered already.
  client.prependListener('element', (element) => {
    if (element.name === 'success' && element.attrs.xmlns === NS_SASL2) authenticated = true;
    if (!element.is('features', NS_STREAMS) || !element.getChild('authentication', NS_SASL2)) return;
    if (replayed.has(element)) return;
    if (pipelined) {
      element.children = element.children.filter((child) => {
        const { name, attrs } = child as { name?: string; attrs?: Record<string, unknown> };
        return (
          !(name === 'authentication' && attrs?.xmlns === NS_SASL2) &&
          !(name === 'mechanisms' && attrs?.xmlns === NS_SASL)
        );
      });
    } else {
      const copy = clone(element);
      copy.attrs['xmlns:stream'] = NS_STREAMS;
      knownFeatures.set(service, copy);
    }
  });
  const open = client.open.bind(client);
  client.open = (...args: unknown[]) => {
    const opening = open(...args);
    const features = knownFeatures.get(service);
    if (freshSocket && features) {
      pipelined = true;
      // open() has written the stream header already; the features go to xmpp.js as if read.
      const replay = clone(features);
      replayed.add(replay);
      client.emit('element', replay);
    }
    freshSocket = false;
    return opening;
  };
  return () => pipelined;
}

/** A deep copy of a (shallow) features element. */
function clone(element: Element): Element {
  const children = element.children.map((child) => (typeof child === 'string' ? child : clone(child)));
  return xml(element.name, { ...element.attrs }, ...children);
}
