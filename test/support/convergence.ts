import type { XmppProvider } from '@xsync/core/yjs';
import * as Y from 'yjs';

const vector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

/** All providers hold the same state vector and have nothing left to send. */
export function converged(providers: XmppProvider[]): boolean {
  const first = vector(providers[0]!.doc);
  return providers.every((provider) => provider.unsyncedChanges === 0 && vector(provider.doc) === first);
}

/** Resolves when the providers have converged, re-checking on every update and acknowledgement. */
export function waitForConvergence(providers: XmppProvider[], timeoutMs = 60_000): Promise<void> {
  if (converged(providers)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!converged(providers)) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      const lengths = providers.map((p) => `${p.doc.getText('t').length}/${p.unsyncedChanges}/${p.status}`);
      reject(new Error(`no convergence within ${timeoutMs} ms (length/unsynced/status: ${lengths.join(', ')})`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      for (const provider of providers) {
        provider.doc.off('update', check);
        provider.off('unsynced', check);
      }
    };
    for (const provider of providers) {
      provider.doc.on('update', check);
      provider.on('unsynced', check);
    }
  });
}
