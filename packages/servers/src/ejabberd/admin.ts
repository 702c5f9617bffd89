import { randomBytes } from 'node:crypto';
import type { Account } from '../common/server.js';

/** Calls ejabberd's HTTP API (mod_http_api), which the config opens to loopback only. */
export async function callApi(apiUrl: string, command: string, args: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${apiUrl}/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ejabberd API ${command} failed (${response.status}): ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/**
 * Registers an account through a server's loopback admin API (`apiUrl` of a running
 * `EjabberdServer`), from any process; a random name and password are chosen when omitted.
 */
export async function registerAccount(
  apiUrl: string,
  domain: string,
  username = `user-${randomBytes(6).toString('hex')}`,
  password = randomBytes(12).toString('hex'),
): Promise<Account> {
  await callApi(apiUrl, 'register', { user: username, host: domain, password });
  return { username, password, jid: `${username}@${domain}` };
}
