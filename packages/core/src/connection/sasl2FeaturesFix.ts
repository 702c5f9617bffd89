import type { Client } from '@xmpp/client';
import type { Element } from '../xml/index.js';

const NS_STREAMS = 'http://etherx.jabber.org/streams';
const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';
const NS_SM = 'urn:xmpp:sm:3';

/**
 * Works around `@xmpp/client` 0.14 negotiating the stream a second time after SASL2: ejabberd
 * 24.12 sends `<stream:features>` again after a `<success/>` that already bound the session
 * (Bind2) or resumed it (XEP-0198 inline), and xmpp.js then sends `<resume/>` or `<enable/>`
 * once more; the server refuses ("Stream management is already enabled") and xmpp.js marks
 * stream management off, so the next dropped connection cannot be resumed. XEP-0388 §2.7: the
 * stream is ready after such a success. This hides resource binding and stream management
 * from those features; a stream that was not bound inline negotiates them as usual.
 */
export function skipFeaturesNegotiatedInline(xmpp: Client): void {
  const emitter = xmpp as unknown as {
    prependListener(event: string, listener: (value: Element) => void): void;
    on(event: string, listener: () => void): void;
  };
  let negotiatedInline = false;
  emitter.on('connect', () => {
    negotiatedInline = false;
  });
  // Runs before xmpp.js's own listener, so its stream-feature handlers see the result.
  emitter.prependListener('element', (element) => {
    if (element.name === 'success' && element.attrs.xmlns === NS_SASL2) {
      negotiatedInline =
        element.getChild('bound', NS_BIND2) !== undefined || element.getChild('resumed', NS_SM) !== undefined;
    } else if (negotiatedInline && element.is('features', NS_STREAMS)) {
      element.children = element.children.filter((child) => {
        const { name } = child as { name?: string };
        return name !== 'sm' && name !== 'bind' && name !== 'session';
      });
    }
  });
}

/**
 * Binds the resource the client asked for, as RFC 6120 §7 does, instead of letting Bind2 make
 * one: under Bind2 (XEP-0386 §3) a resource is only a tag the server extends with a unique
 * part, and peers that address this client by a well-known full JID (a bot, CU1) would not
 * find it. Hiding Bind2 from the SASL2 offer keeps SASL2, FAST and inline resumption; the
 * resource is then bound after authentication, one round trip more.
 */
export function bindExactResource(xmpp: Client): void {
  const emitter = xmpp as unknown as {
    prependListener(event: string, listener: (value: Element) => void): void;
  };
  emitter.prependListener('element', (element) => {
    if (!element.is('features', NS_STREAMS)) return;
    const inline = element.getChild('authentication', NS_SASL2)?.getChild('inline');
    if (!inline) return;
    inline.children = inline.children.filter((child) => {
      const { name, attrs } = child as { name?: string; attrs?: Record<string, unknown> };
      return !(name === 'bind' && attrs?.xmlns === NS_BIND2);
    });
  });
}
