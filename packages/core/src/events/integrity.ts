import { digest } from 'lib0/hash/sha256';
import type { Element } from '../xml/index.js';

/**
 * Each sender numbers the durable events it publishes for one document of one type in a
 * chain ([INT1]), and seals each with a digest of its chain position, document and payload
 * ([INT2]). A receiver so tells an event changed in the archive (its digest fails), one
 * stored twice (a position seen before) and one missing (a position skipped), instead of
 * taking what the archive serves as the truth.
 */
export interface ChainPosition {
  /** The chain: random per sender, document and session, 12 base64url characters. */
  id: string;
  /** Position in the chain, from 1. */
  seq: number;
}

const CHAIN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ = /^[1-9][0-9]{0,15}$/;
const DIGEST = /^[A-Za-z0-9_-]{22}$/;
const encoder = new TextEncoder();

/** Whether attribute values are a well-formed chain id, position and digest. */
export function isChainAttributes(chain: string, seq: string, seal: string): boolean {
  return CHAIN_ID.test(chain) && SEQ.test(seq) && Number.isSafeInteger(Number(seq)) && DIGEST.test(seal);
}

/**
 * The seal of an event ([INT2]): the first 128 bits of SHA-256 over
 * `chain LF seq LF doc LF canonical(payload)`, in base64url without padding.
 */
export function sealOf(position: ChainPosition, doc: string | undefined, payload: Element): string {
  const bytes = digest(encoder.encode(`${position.id}\n${position.seq}\n${doc ?? ''}\n${canonicalXml(payload)}`));
  return base64url(bytes.subarray(0, 16));
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding. */
function base64url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    text += BASE64URL[n >>> 18]! + BASE64URL[(n >>> 12) & 63]!;
    if (i + 1 < bytes.length) text += BASE64URL[(n >>> 6) & 63]!;
    if (i + 2 < bytes.length) text += BASE64URL[n & 63]!;
  }
  return text;
}

/**
 * One serialization of an element that any XML stack reaches from the same tree ([INT2]):
 * attributes sorted by name as `name="value"`, text and attribute values escaped (`&amp;`,
 * `&lt;`, `&gt;`, `&quot;`), adjacent text joined, no declarations, no whitespace added.
 * Servers may reorder attributes or split text when they store and serve a stanza; they do
 * not change names, values or text.
 */
export function canonicalXml(element: Element): string {
  let out = `<${element.name}`;
  for (const name of Object.keys(element.attrs).sort()) {
    const value = element.attrs[name] as unknown;
    if (value === undefined || value === null) continue;
    out += ` ${name}="${escape(String(value))}"`;
  }
  out += '>';
  for (const child of element.children) out += typeof child === 'string' ? escape(child) : canonicalXml(child);
  return `${out}</${element.name}>`;
}

const SPECIAL = /[&<>"]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escape(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"]/g, (char) => ESCAPES[char]!) : text;
}

/** What a chain position says about the archive ({@link ChainTracker.check}). */
export type ChainVerdict =
  | { kind: 'in-order' }
  /** A position seen before under another archive id: the archive holds the event twice. */
  | { kind: 'duplicated' }
  /** Positions `from` to `to` never came: the archive lost them (or the server refused them). */
  | { kind: 'missing'; from: number; to: number };

/** Positions remembered per chain, to tell an event met twice on the way from one stored twice. */
const RECENT = 256;

interface ChainState {
  head: number;
  recent: Map<number, string>;
}

/**
 * The chains of one document as a receiver met them, in archive order ([INT3]). A chain
 * first met at a position past 1 is missing its start only when the receiver read the
 * archive from its beginning (`fromStart`); otherwise it began before what was read.
 */
export class ChainTracker {
  readonly #chains = new Map<string, ChainState>();

  constructor(readonly fromStart: boolean) {}

  check(position: ChainPosition, archiveId: string): ChainVerdict {
    const chain = this.#chains.get(position.id);
    if (!chain) {
      this.#chains.set(position.id, { head: position.seq, recent: new Map([[position.seq, archiveId]]) });
      return position.seq > 1 && this.fromStart
        ? { kind: 'missing', from: 1, to: position.seq - 1 }
        : { kind: 'in-order' };
    }
    if (position.seq <= chain.head) {
      const seen = chain.recent.get(position.seq);
      // The same archived event met again (live and history overlap) is no news.
      return seen === archiveId ? { kind: 'in-order' } : { kind: 'duplicated' };
    }
    const from = chain.head + 1;
    chain.head = position.seq;
    chain.recent.set(position.seq, archiveId);
    if (chain.recent.size > RECENT) chain.recent.delete(chain.recent.keys().next().value!);
    return position.seq === from ? { kind: 'in-order' } : { kind: 'missing', from, to: position.seq - 1 };
  }
}
