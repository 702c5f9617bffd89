import type { Client } from '@xmpp/client';
import type { Element } from '../xml/index.js';

const NS_SM = 'urn:xmpp:sm:3';
const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_BIND2 = 'urn:xmpp:bind:0';

/**
 * Works around a counter race in @xmpp/stream-management 0.14: the inbound stanza count is
 * reset only in the asynchronous continuation after `<enabled/>`, so stanzas parsed in the
 * same chunk (and, on a new session after a failed resumption, the previous session's whole
 * count) are acknowledged to the server, which then ends the stream with "Client acknowledged
 * more stanzas than sent by server". XEP-0198 §4: the count starts at `<enabled/>`; this
 * resets it right there and ignores the late reset that follows.
 */
export function fixInboundCounterReset(xmpp: Client): void {
  const sm = xmpp.streamManagement as unknown as { inbound: number };
  let inbound = sm.inbound;
  let lateResetPending = false;
  Object.defineProperty(sm, 'inbound', {
    configurable: true,
    enumerable: true,
    get: () => inbound,
    set: (value: number) => {
      if (value === 0 && lateResetPending) {
        lateResetPending = false;
        return;
      }
      inbound = value;
    },
  });
  xmpp.on('element', (element: Element) => {
    if (element.name === 'enabled' && element.attrs.xmlns === NS_SM) {
      inbound = 0;
      lateResetPending = true;
    } else if (element.name === 'success' && element.attrs.xmlns === NS_SASL2) {
      // Bind2 enables stream management inside SASL2's <success> (XEP-0198 §B, XEP-0386):
      // the same reset, before stanzas read behind it are counted.
      if (element.getChild('bound', NS_BIND2)?.getChild('enabled', NS_SM)) {
        inbound = 0;
        lateResetPending = true;
      }
    }
  });
}
