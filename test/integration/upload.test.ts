import { findUploadService, requestUploadSlot, uploadFile } from '@xsync/core';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Fixture } from '../support/fixtures.js';

const fixture = new Fixture('upload');
afterAll(() => fixture.close());

describe('XEP-0363 HTTP File Upload on the local server', () => {
  it('finds the service, uploads a file and serves it back', async () => {
    const connection = await fixture.connect();
    const service = await findUploadService(connection);
    expect(service).toEqual({ jid: `upload.${inject('server').domain}`, maxSize: 10 * 1024 * 1024 });
    const bytes = new Uint8Array(300 * 1024).map((_, i) => (i * 31) % 251);
    const url = await uploadFile(connection, new Blob([bytes], { type: 'image/png' }), 'board.png');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/.+\/board\.png$/);
    const fetched = await fetch(url);
    expect(fetched.headers.get('access-control-allow-origin')).toBe('*');
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(bytes);
  });

  it('refuses files over the limit, before and at the service', async () => {
    const connection = await fixture.connect();
    await expect(uploadFile(connection, new Blob([new Uint8Array(11 * 1024 * 1024)]), 'big.bin')).rejects.toThrow(
      /takes files up to 10485760 bytes/,
    );
    const service = (await findUploadService(connection))!;
    await expect(
      requestUploadSlot(connection, service.jid, { filename: 'big.bin', size: 11 * 1024 * 1024, contentType: 'x/y' }),
    ).rejects.toMatchObject({ condition: expect.stringMatching(/^(not-acceptable|file-too-large)$/) });
  });
});
