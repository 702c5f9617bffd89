import { defineEventType } from '../../EventType.js';
import { checkUntrustedJson } from '../../json.js';
import { NS_DOM, decodeOperations, encodeOperations } from './codec.js';
import { DomState } from './DomState.js';
import type { DomOperation, ElementSpec } from './operations.js';

export { DomState } from './DomState.js';
export {
  ROOT_ID,
  type DomOperation,
  type NodeSpec,
  type ElementSpec,
  type TextSpec,
  type AttributeSpec,
} from './operations.js';

/**
 * Operations on a synchronized XML DOM whose nodes carry stable ids:
 * `<ops xmlns='urn:xsync:dom:1'><insert parent='root'>…</insert><set-attribute …/></ops>` ([DOM1]).
 */
export const domOperations = defineEventType<DomOperation[], DomState>({
  name: 'dom-ops',
  namespace: NS_DOM,
  element: 'ops',
  limits: { maxSize: 256 * 1024, maxDepth: 40 },
  encode: encodeOperations,
  decode: decodeOperations,
  describe: (operations) => `[xsync] drawing change (${operations.length} operations)`,
  reducer: {
    init: () => new DomState(),
    apply(state, operations) {
      state.apply(operations);
      return state;
    },
    codec: {
      encode: (state) => new TextEncoder().encode(JSON.stringify(state.toSpec())),
      decode(bytes) {
        const spec: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
        checkUntrustedJson(spec, 1000);
        return DomState.fromSpec(spec as ElementSpec);
      },
    },
  },
});
