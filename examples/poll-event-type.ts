// An event type a plugin adds to xsync: votes in a poll. It shows the four parts of a type:
// the XML it travels as, validation of what arrives, a reducer that builds a state in
// channel order, and a codec that lets the bot snapshot that state.
// The guide that walks through it: docs/guides/event-type-plugin.md.
import { type JsonValue, defineEventType, reject, xml } from '@xsync/core';

export const NS_POLL = 'urn:example:poll:1';

/** One vote: who voted is the event's sender; the payload says for what. */
export interface Vote {
  poll: string;
  option: string;
}

/** Votes per option, per poll. */
export type Tally = Record<string, Record<string, number>>;

const NAME = /^[\w-]{1,40}$/;

export const pollVote = defineEventType<Vote, Tally>({
  name: 'poll-vote',
  namespace: NS_POLL,
  element: 'vote',
  // Checked before decode: a vote is one small element.
  limits: { maxSize: 256, maxDepth: 1 },
  encode: ({ poll, option }) => xml('vote', { xmlns: NS_POLL, poll, option }),
  decode(element) {
    const { poll, option } = element.attrs as Record<string, unknown>;
    if (typeof poll !== 'string' || !NAME.test(poll)) throw reject('invalid-payload', 'poll must be a short name');
    if (typeof option !== 'string' || !NAME.test(option))
      throw reject('invalid-payload', 'option must be a short name');
    return { poll, option };
  },
  // What ordinary XMPP clients show in the channel.
  describe: ({ poll, option }) => `[poll] voted ${option} in ${poll}`,
  reducer: {
    // A null prototype: poll and option names such as __proto__ stay plain keys.
    init: (): Tally => Object.create(null) as Tally,
    apply(tally, { poll, option }) {
      const options = (tally[poll] ??= Object.create(null) as Record<string, number>);
      options[option] = (options[option] ?? 0) + 1;
      return tally;
    },
    codec: {
      encode: (tally) => new TextEncoder().encode(JSON.stringify(tally)),
      decode(bytes) {
        const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as JsonValue;
        return toTally(parsed);
      },
    },
  },
  // Counting is order-independent: replicas apply votes as they arrive.
  commutative: true,
});

/** Checks bytes from a snapshot file: the codec must refuse what it did not write. */
function toTally(value: JsonValue): Tally {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a tally');
  const tally = Object.create(null) as Tally;
  for (const [poll, options] of Object.entries(value)) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError('not a tally');
    tally[poll] = Object.create(null) as Record<string, number>;
    for (const [option, count] of Object.entries(options)) {
      if (!Number.isSafeInteger(count) || (count as number) < 0) throw new TypeError('not a count');
      tally[poll][option] = count as number;
    }
  }
  return tally;
}
