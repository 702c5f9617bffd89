import { describe, expect, it } from 'vitest';
import { type FastToken, memoryTokenStore } from './tokens.js';
import { type StoredToken, passwordLogin } from './login.js';

const TOKEN: FastToken = { mechanism: 'HT-SHA-256-NONE', token: 'secret', expiry: '2099-01-01T00:00:00Z' };

/** The hooks of @xmpp/client's FAST module that passwordLogin fills in. */
function fastModule() {
  return {
    fetchToken: (): Promise<FastToken | undefined> => Promise.resolve(undefined),
    saveToken: (_token: FastToken): Promise<void> => Promise.resolve(),
    deleteToken: (): Promise<void> => Promise.resolve(),
  };
}

describe('passwordLogin', () => {
  it('[SES9] keeps a token with its user agent and offers it only with the same password', async () => {
    const tokens = memoryTokenStore();
    const fast = fastModule();
    const login = passwordLogin({ username: 'alice', password: 'right', tokens, tokenKey: 'k' }, fast);
    await fast.saveToken(TOKEN);
    await login.saved();
    const stored = await tokens.load('k');
    expect(stored).toMatchObject(TOKEN);
    expect((stored as { userAgent?: string }).userAgent).toMatch(/^[0-9a-f-]{36}$/);
    expect(await fast.fetchToken()).toMatchObject(TOKEN);

    const other = fastModule();
    passwordLogin({ username: 'alice', password: 'wrong', tokens, tokenKey: 'k' }, other);
    expect(await other.fetchToken()).toBeUndefined();
    // Nothing was offered, so nothing is deleted: the right password still finds the token.
    await other.deleteToken();
    expect(await tokens.load('k')).toMatchObject(TOKEN);
  });

  it('[SES9] deletes a token only after offering it, and presents the user agent it was issued to', async () => {
    const tokens = memoryTokenStore();
    const first = fastModule();
    const issuing = passwordLogin({ username: 'alice', password: 'pw', tokens, tokenKey: 'k' }, first);
    await first.saveToken(TOKEN);
    await issuing.saved();
    const { userAgent } = (await tokens.load('k')) as StoredToken;

    const next = fastModule();
    const login = passwordLogin({ username: 'alice', password: 'pw', tokens, tokenKey: 'k' }, next);
    const sent: string[] = [];
    await login.credentials(
      async (_credentials, _mechanism, agent) => {
        sent.push(String(agent.attrs.id));
      },
      ['SCRAM-SHA-1'],
      true,
      undefined,
    );
    expect(sent).toEqual([userAgent]);
    await next.deleteToken();
    expect(await tokens.load('k')).toBeUndefined();
  });

  it('chooses SCRAM over PLAIN and registers once before the first login', async () => {
    const requests: string[] = [];
    const login = passwordLogin(
      {
        username: 'guest',
        password: 'pw',
        tokenKey: 'k',
        register: async (iq) => {
          requests.push(iq.getChild('query')?.attrs.xmlns as string);
          return iq;
        },
      },
      fastModule(),
    );
    const mechanisms: string[] = [];
    const authenticate = async (_credentials: unknown, mechanism: string) => {
      mechanisms.push(mechanism);
    };
    await login.credentials(authenticate, ['PLAIN', 'SCRAM-SHA-1'], false, undefined);
    await login.credentials(authenticate, ['PLAIN', 'SCRAM-SHA-1'], false, undefined);
    expect(mechanisms).toEqual(['SCRAM-SHA-1', 'SCRAM-SHA-1']);
    expect(requests).toEqual(['jabber:iq:register']);
  });
});
