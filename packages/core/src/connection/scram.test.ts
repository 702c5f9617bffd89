import { describe, expect, it } from 'vitest';
import { ScramSha1, clearScramCache } from './scram.js';

// RFC 5802 §5: user "user", password "pencil".
const CLIENT_NONCE = 'fyko+d2lbbFgONRv9qkxdawL';
const SERVER_FIRST = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
const CLIENT_FINAL = 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=';
const credentials = { username: 'user', password: 'pencil' };

async function exchange(serverFirst = SERVER_FIRST): Promise<{ first: string; final: string }> {
  const mechanism = new ScramSha1(CLIENT_NONCE);
  const first = await mechanism.response(credentials);
  await mechanism.challenge(serverFirst);
  return { first, final: await mechanism.response(credentials) };
}

describe('ScramSha1', () => {
  it('[SES4] produces the RFC 5802 example exchange', async () => {
    clearScramCache();
    const { first, final } = await exchange();
    expect(first).toBe(`n,,n=user,r=${CLIENT_NONCE}`);
    expect(final).toBe(CLIENT_FINAL);
  });

  it('[SES4] gives the same proof from the cached salted password', async () => {
    clearScramCache();
    await exchange();
    expect((await exchange()).final).toBe(CLIENT_FINAL);
  });

  it('refuses a server nonce that does not extend the client nonce', async () => {
    await expect(exchange('r=other,s=QSXCR+Q6sek8bf92,i=4096')).rejects.toThrow(/nonce/);
    await expect(exchange(`r=${CLIENT_NONCE},s=QSXCR+Q6sek8bf92,i=4096`)).rejects.toThrow(/nonce/);
    await expect(exchange(`r=${CLIENT_NONCE}x,s=QSXCR+Q6sek8bf92,i=0`)).rejects.toThrow(/iteration/);
  });

  it('escapes = and , in user names', async () => {
    const mechanism = new ScramSha1('abc');
    expect(await mechanism.response({ username: 'a=b,c', password: 'x' })).toBe('n,,n=a=3Db=2Cc,r=abc');
  });
});
