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
