import { EventEmitter } from 'node:events';
import type { Client } from '@xmpp/client';
import { describe, expect, it } from 'vitest';
import { xml } from '../xml/index.js';
import { fixInboundCounterReset } from './streamManagementFix.js';

function fakeClient(inbound: number) {
  const xmpp = new EventEmitter() as EventEmitter & { streamManagement: { inbound: number } };
  xmpp.streamManagement = { inbound };
  return xmpp;
}

describe('fixInboundCounterReset', () => {
  it('[SES1] counts inbound stanzas from <enabled/>, not from the late reset after it', () => {
    const xmpp = fakeClient(4711); // the previous session's count
    fixInboundCounterReset(xmpp as unknown as Client);
    xmpp.emit('element', { name: 'enabled', attrs: { xmlns: 'urn:xmpp:sm:3' } });
    expect(xmpp.streamManagement.inbound).toBe(0);
    // Two stanzas parsed in the same chunk, counted by the middleware…
    xmpp.streamManagement.inbound += 1;
    xmpp.streamManagement.inbound += 1;
    // …then xmpp.js's asynchronous enabled() resets the counter: ignored.
    xmpp.streamManagement.inbound = 0;
    expect(xmpp.streamManagement.inbound).toBe(2);
    // Later resets (offline) apply again.
    xmpp.streamManagement.inbound = 0;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });

  it('leaves other elements and namespaces alone', () => {
    const xmpp = fakeClient(3);
    fixInboundCounterReset(xmpp as unknown as Client);
    xmpp.emit('element', { name: 'enabled', attrs: { xmlns: 'urn:xmpp:sm:2' } });
    xmpp.emit('element', { name: 'message', attrs: {} });
    expect(xmpp.streamManagement.inbound).toBe(3);
    xmpp.streamManagement.inbound = 0;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });

  it('[SES1] resets at stream management enabled inline in SASL2 success (Bind2)', () => {
    const xmpp = fakeClient(17);
    fixInboundCounterReset(xmpp as unknown as Client);
    const success = xml(
      'success',
      { xmlns: 'urn:xmpp:sasl:2' },
      xml('bound', { xmlns: 'urn:xmpp:bind:0' }, xml('enabled', { xmlns: 'urn:xmpp:sm:3', id: 'x', resume: 'true' })),
    );
    xmpp.emit('element', success);
    expect(xmpp.streamManagement.inbound).toBe(0);
    xmpp.streamManagement.inbound += 1;
    xmpp.streamManagement.inbound = 0;
    expect(xmpp.streamManagement.inbound).toBe(1);
  });

  it('leaves a SASL2 success without inline stream management alone', () => {
    const xmpp = fakeClient(5);
    fixInboundCounterReset(xmpp as unknown as Client);
    xmpp.emit('element', xml('success', { xmlns: 'urn:xmpp:sasl:2' }, xml('bound', { xmlns: 'urn:xmpp:bind:0' })));
    expect(xmpp.streamManagement.inbound).toBe(5);
  });
});
