import type { Operation } from 'fast-json-patch';
import { JsonPatchError, applyPatch, validate } from 'fast-json-patch/index.mjs';
import { textOf, xml } from '../../xml/index.js';
import { defineEventType } from '../EventType.js';
import { checkUntrustedJson } from '../json.js';
import { reject } from '../rejection.js';

/** JSON values a json-patch state can hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deepest JSON nesting accepted in a patch ([JSON2]). */
export const MAX_JSON_DEPTH = 64;

/** Pointer segments refused in `path` and `from`: they reach an object's prototype ([JSON3]). */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An RFC 6902 JSON Patch as JSON text: `<patch xmlns='urn:xsync:json-patch:1'>[…]</patch>` ([JSON1]).
 * The reducer applies it atomically to a JSON document; a failing `test` or a missing path
 * rejects the whole patch.
 */
export const jsonPatch = defineEventType<Operation[], JsonValue>({
  name: 'json-patch',
  namespace: 'urn:xsync:json-patch:1',
  element: 'patch',
  limits: { maxSize: 256 * 1024, maxDepth: 1 },
  encode: (operations) => xml('patch', { xmlns: 'urn:xsync:json-patch:1' }, JSON.stringify(operations)),
  decode(element) {
    let value: unknown;
    try {
      value = JSON.parse(textOf(element));
    } catch (error) {
      throw reject('invalid-payload', `patch is not JSON: ${String(error)}`);
    }
    checkUntrustedJson(value, MAX_JSON_DEPTH);
    if (!Array.isArray(value) || value.length === 0) throw reject('invalid-payload', 'patch must be a non-empty array');
    const operations = value as Operation[];
    for (const operation of operations) {
      if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) {
        throw reject('invalid-payload', 'patch operations must be objects');
      }
      for (const pointer of [operation.path, (operation as { from?: unknown }).from]) {
        if (
          typeof pointer === 'string' &&
          pointer.split('/').some((segment) => FORBIDDEN_SEGMENTS.has(unescape(segment)))
        ) {
          throw reject('forbidden', `JSON pointer ${pointer} addresses a prototype`);
        }
      }
    }
    const error = validate(operations);
    if (error) throw reject('invalid-payload', `${error.name}: ${error.message.split('\n')[0]}`);
    return operations;
  },
  describe: (operations) => `[xsync] data change (${operations.length} operations)`,
  reducer: {
    init: (): JsonValue => ({}),
    apply(state, operations) {
      try {
        // mutateDocument=false: the patch applies to a copy, so a failing operation leaves state intact.
        return applyPatch(state, operations, true, false, true).newDocument;
      } catch (error) {
        if (error instanceof JsonPatchError) throw reject('conflict', `${error.name}: ${error.message.split('\n')[0]}`);
        throw error;
      }
    },
    codec: {
      encode: (state) => new TextEncoder().encode(JSON.stringify(state)),
      decode(bytes) {
        const state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as JsonValue;
        checkUntrustedJson(state, MAX_JSON_DEPTH + 1);
        return state;
      },
    },
  },
});

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
