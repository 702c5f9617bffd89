import type { Client } from '@xmpp/client';

interface HeaderWriter {
  header(element: { attrs: Record<string, string> }, ...rest: unknown[]): string;
  isSecure(): boolean;
  jid: { bare(): { toString(): string } } | null;
}

/**
 * Puts the account's bare JID in the stream header's `from` on loopback as well as over TLS.
 * RFC 6120 §4.7.1 asks for it once the stream is protected "via TLS or an equivalent security
 * layer", and a stream that never leaves the machine is one; `@xmpp/client` 0.14 adds it only
 * over TLS. Servers offer SASL2 (XEP-0388 §2.1) only to a stream that names its user, so
 * without this a loopback client never gets the one-round-trip logins.
 */
export function announceIdentityOnLoopback(xmpp: Client, service: string): void {
  if (!isLoopback(service)) return;
  const writer = xmpp as unknown as HeaderWriter;
  const header = writer.header.bind(writer);
  writer.header = (element, ...rest) => {
    const from = writer.jid?.bare().toString();
    if (from && !writer.isSecure()) element.attrs.from = from;
    return header(element, ...rest);
  };
}

/** Whether a service URL points at this machine (127.0.0.0/8, ::1 or localhost). */
export function isLoopback(service: string): boolean {
  let host: string;
  try {
    host = new URL(service).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
