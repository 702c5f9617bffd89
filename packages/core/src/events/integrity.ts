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

/** What a chain position says ({@link ChainTracker.check}). */
export type ChainVerdict =
  /** A place not met before. */
  | 'new'
  /** The same archived event met again (its live and its archived copy, or a page read twice). */
  | 'again'
  /** A place met before under another archive id: the archive holds the event twice. */
  | 'duplicated'
  /** A place met before, too long ago to tell by archive id. */
  | 'known';

/** Places of a chain that never came ({@link ChainTracker.takeGaps}). */
export interface ChainGap {
  chain: string;
  from: number;
  to: number;
}

/** Archive ids remembered per chain, to tell an event met again from one stored twice. */
const RECENT = 1024;

interface ChainState {
  /** The lowest place met (1 when read from the archive's start) and the highest. */
  low: number;
  head: number;
  recent: Map<number, string>;
  /** Places below the head not met yet, as ranges; `reported` once taken as gaps. */
  holes: Array<{ from: number; to: number; reported: boolean }>;
}

/**
 * The chains of one document as a receiver meets them ([INT3]). Events may come out of
 * archive order (a live copy before the archived ones a catch-up reads), so a place skipped
 * is a hole until a later event fills it; the holes left once a catch-up has read the archive
 * up to the present are what the archive lacks ({@link takeGaps}). A chain first met at a
 * place past 1 lacks its start only when the receiver reads the archive from its beginning
 * (`fromStart`); otherwise it began before what was read.
 */
export class ChainTracker {
  readonly #chains = new Map<string, ChainState>();

  constructor(readonly fromStart: boolean) {}

  check(position: ChainPosition, archiveId: string): ChainVerdict {
    const { seq } = position;
    let chain = this.#chains.get(position.id);
    if (!chain) {
      chain = { low: this.fromStart ? 1 : seq, head: seq, recent: new Map(), holes: [] };
      if (seq > 1 && this.fromStart) chain.holes.push({ from: 1, to: seq - 1, reported: false });
      this.#chains.set(position.id, chain);
      this.#remember(chain, seq, archiveId);
      return 'new';
    }
    const seen = chain.recent.get(seq);
    if (seen !== undefined) return seen === archiveId ? 'again' : 'duplicated';
    if (seq > chain.head) {
      if (seq > chain.head + 1) chain.holes.push({ from: chain.head + 1, to: seq - 1, reported: false });
      chain.head = seq;
      this.#remember(chain, seq, archiveId);
      return 'new';
    }
    if (seq < chain.low) {
      // Joined mid-chain, and an earlier place came after a later one: the chain reaches back.
      if (seq < chain.low - 1) chain.holes.push({ from: seq + 1, to: chain.low - 1, reported: false });
      chain.low = seq;
      this.#remember(chain, seq, archiveId);
      return 'new';
    }
    const index = chain.holes.findIndex((hole) => hole.from <= seq && seq <= hole.to);
    if (index === -1) return 'known';
    const hole = chain.holes[index]!;
    const split = [
      ...(hole.from < seq ? [{ ...hole, to: seq - 1 }] : []),
      ...(seq < hole.to ? [{ ...hole, from: seq + 1 }] : []),
    ];
    chain.holes.splice(index, 1, ...split);
    this.#remember(chain, seq, archiveId);
    return 'new';
  }

  /** Holes not reported before, each reported once. Call when the archive has been read up to now. */
  takeGaps(): ChainGap[] {
    const gaps: ChainGap[] = [];
    for (const [id, chain] of this.#chains) {
      for (const hole of chain.holes) {
        if (hole.reported) continue;
        hole.reported = true;
        gaps.push({ chain: id, from: hole.from, to: hole.to });
      }
    }
    return gaps;
  }

  #remember(chain: ChainState, seq: number, archiveId: string): void {
    chain.recent.set(seq, archiveId);
    if (chain.recent.size > RECENT) chain.recent.delete(chain.recent.keys().next().value!);
  }
}
