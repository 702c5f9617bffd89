import { describe, expect, it } from 'vitest';
import { xml } from '../../xml/index.js';
import { reasonOf } from '../../testing/reasonOf.js';
import { channelInfo } from './channelInfo.js';

describe('channelInfo [INFO1]', () => {
  it('round-trips a name and a description, and the latest fields win', () => {
    const info = { name: 'Design review', description: 'Friday whiteboard' };
    expect(channelInfo.decode(channelInfo.encode(info))).toEqual(info);
    const reducer = channelInfo.reducer!;
    const state = reducer.apply(reducer.apply(reducer.init(), info), { name: 'Renamed' });
    expect(state).toEqual({ name: 'Renamed', description: 'Friday whiteboard' });
    expect(reducer.codec!.decode(reducer.codec!.encode(state))).toEqual(state);
  });

  it('refuses empty info, unknown children and oversized fields', () => {
    const ns = 'urn:xsync:channel-info:1';
    expect(reasonOf(() => channelInfo.decode(xml('info', { xmlns: ns })))).toBe('invalid-payload');
    expect(reasonOf(() => channelInfo.decode(xml('info', { xmlns: ns }, xml('owner', {}, 'x'))))).toBe(
      'invalid-payload',
    );
    expect(reasonOf(() => channelInfo.decode(xml('info', { xmlns: ns }, xml('name', {}, 'n'.repeat(201)))))).toBe(
      'oversized',
    );
  });
});
