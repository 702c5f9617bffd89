import { describe, expect, it } from 'vitest';
import { renderConfig } from '../ejabberd/config.js';
import { renderProsodyConfig } from '../prosody/config.js';
import { DEFAULT_ROOM_MESSAGE_RATE, checkRoomMessageRate } from './server.js';

describe('room message rate (LIM2)', () => {
  it('refuses a rate that is not a positive integer', () => {
    expect(checkRoomMessageRate({ perSecond: 1, burst: 3 })).toEqual({ perSecond: 1, burst: 3 });
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => checkRoomMessageRate({ perSecond: bad, burst: 10 })).toThrow(RangeError);
      expect(() => checkRoomMessageRate({ perSecond: 10, burst: bad })).toThrow(RangeError);
    }
  });

  it("lands in both servers' configs, 500 a second in bursts of 500 unless told otherwise", () => {
    expect(DEFAULT_ROOM_MESSAGE_RATE).toEqual({ perSecond: 500, burst: 500 });
    const ejabberd = renderConfig({
      domain: 'localhost',
      c2sPort: 5222,
      httpPort: 5280,
      database: { type: 'sqlite', path: '/tmp/x.db' },
      uploadDir: '/tmp/uploads',
      logLevel: 'info',
      maxStanzaSize: 1024 * 1024,
      sasl2: true,
      roomMessageRate: { perSecond: 40, burst: 60 },
    });
    expect(ejabberd).toMatch(/mod_xsync_muc_rate:\n\s+rate: 40\n\s+burst: 60\n/);
    const prosody = renderProsodyConfig({
      domain: 'localhost',
      c2sPort: 5222,
      httpPort: 5280,
      dataPath: '/tmp/data',
      database: '/tmp/data/prosody.sqlite',
      adminSocket: '/tmp/data/admin.sock',
      certsDir: '/tmp/certs',
      logFile: '/tmp/prosody.log',
      pidFile: '/tmp/prosody.pid',
      pluginPath: '/usr/lib/prosody/modules',
      xsyncModules: '/tmp/modules',
      logLevel: 'info',
      roomMessageRate: { perSecond: 40, burst: 60 },
    });
    expect(prosody).toMatch(/xsync_muc_rate = 40\n\s+xsync_muc_burst = 60\n/);
  });
});
