import { childElements, textOf, xml } from '../../xml/index.js';
import { defineEventType } from '../EventType.js';
import { characterCount } from '../limits.js';
import { reject } from '../rejection.js';

const NS_CHANNEL_INFO = 'urn:xsync:channel-info:1';

/** A channel's name and description. */
export interface ChannelInfo {
  name?: string;
  description?: string;
}

/** Longest name and description accepted ([INFO1]). */
export const CHANNEL_INFO_LIMITS = { name: 200, description: 4000 } as const;

/**
 * A channel's name and description ([INFO1]). MIX on ejabberd 23.01 has no information
 * node, so they travel as an event: `<info xmlns='urn:xsync:channel-info:1'><name>…</name>
 * <description>…</description></info>`. Each event sets the fields it carries; the latest in
 * archive order wins.
 */
export const channelInfo = defineEventType<ChannelInfo, ChannelInfo>({
  name: 'channel-info',
  namespace: 'urn:xsync:channel-info:1',
  element: 'info',
  limits: { maxSize: 16 * 1024, maxDepth: 2 },
  // The channel's name and description, whatever document a page shows ([INFO1]).
  channelWide: true,
  encode: (info) =>
    xml(
      'info',
      { xmlns: 'urn:xsync:channel-info:1' },
      info.name === undefined ? undefined : xml('name', {}, info.name),
      info.description === undefined ? undefined : xml('description', {}, info.description),
    ),
  decode(element) {
    const info: ChannelInfo = {};
    for (const child of childElements(element)) {
      const field = child.name;
      const namespace = child.attrs.xmlns as string | undefined;
      if ((field !== 'name' && field !== 'description') || (namespace !== undefined && namespace !== NS_CHANNEL_INFO)) {
        throw reject('invalid-payload', `unexpected <${child.name}/> in channel info`);
      }
      if (info[field] !== undefined) throw reject('invalid-payload', `channel info holds two <${field}/>`);
      const value = textOf(child);
      if (characterCount(value) > CHANNEL_INFO_LIMITS[field]) throw reject('oversized', `channel ${field} is too long`);
      info[field] = value;
    }
    if (info.name === undefined && info.description === undefined) {
      throw reject('invalid-payload', 'channel info sets nothing');
    }
    return info;
  },
  describe: (info) =>
    info.name === undefined ? '[xsync] channel description changed' : `[xsync] channel renamed to ${info.name}`,
  reducer: {
    init: () => ({}),
    apply: (state, info) => ({ ...state, ...info }),
    codec: {
      encode: (state) => new TextEncoder().encode(JSON.stringify(state)),
      decode(bytes) {
        const state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as ChannelInfo;
        if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new Error('not channel info');
        return {
          ...(typeof state.name === 'string' && { name: state.name }),
          ...(typeof state.description === 'string' && { description: state.description }),
        };
      },
    },
  },
});
