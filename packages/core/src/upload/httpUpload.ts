import type { Connection } from '../connection/Connection.js';
import { type Element, childElements, textOf, xml } from '../xml/index.js';

export const NS_HTTP_UPLOAD = 'urn:xmpp:http:upload:0';
const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DATA = 'jabber:x:data';
/** Headers a slot may ask the client to send with its PUT (XEP-0363 §5). */
const ALLOWED_HEADERS = new Set(['authorization', 'cookie', 'expires']);

/** An upload service of the user's server. */
export interface UploadService {
  jid: string;
  /** Largest file it takes, when it says. */
  maxSize: number | undefined;
}

/** Where to PUT a file and where it can then be fetched. */
export interface UploadSlot {
  putUrl: string;
  getUrl: string;
  headers: Record<string, string>;
}

const services = new WeakMap<Connection, Promise<UploadService | undefined>>();

/** The server's XEP-0363 service, found through service discovery once per connection. */
export function findUploadService(connection: Connection): Promise<UploadService | undefined> {
  let found = services.get(connection);
  if (!found) {
    found = discover(connection).catch(() => undefined);
    services.set(connection, found);
  }
  return found;
}

async function discover(connection: Connection): Promise<UploadService | undefined> {
  const domain = connection.bareJid.split('@')[1];
  if (!domain) return undefined;
  const items = await connection.request(
    xml('iq', { type: 'get', to: domain }, xml('query', { xmlns: NS_DISCO_ITEMS })),
  );
  const jids = childElements(items.getChild('query', NS_DISCO_ITEMS) ?? items)
    .map((item) => item.attrs.jid as string | undefined)
    .filter((jid): jid is string => jid !== undefined);
  for (const jid of [domain, ...jids]) {
    const info = await connection
      .request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: NS_DISCO_INFO })))
      .catch(() => undefined);
    const query = info?.getChild('query', NS_DISCO_INFO);
    if (!query?.getChildren('feature').some((feature) => feature.attrs.var === NS_HTTP_UPLOAD)) continue;
    return { jid, maxSize: maxSizeOf(query) };
  }
  return undefined;
}

function maxSizeOf(query: Element): number | undefined {
  for (const form of query.getChildren('x', NS_DATA)) {
    const field = form.getChildren('field').find((candidate) => candidate.attrs.var === 'max-file-size');
    const value = field?.getChild('value');
    if (value) return Number(textOf(value)) || undefined;
  }
  return undefined;
}

/** Asks the service for a slot (XEP-0363 §4). Rejects with the service's `XMPPError`. */
export async function requestUploadSlot(
  connection: Connection,
  service: string,
  file: { filename: string; size: number; contentType: string },
): Promise<UploadSlot> {
  const result = await connection.request(
    xml(
      'iq',
      { type: 'get', to: service },
      xml('request', {
        xmlns: NS_HTTP_UPLOAD,
        filename: file.filename,
        size: file.size,
        'content-type': file.contentType,
      }),
    ),
  );
  const slot = result.getChild('slot', NS_HTTP_UPLOAD);
  const put = slot?.getChild('put');
  const get = slot?.getChild('get');
  const putUrl = put?.attrs.url as string | undefined;
  const getUrl = get?.attrs.url as string | undefined;
  if (!putUrl || !getUrl || !/^https?:\/\//.test(putUrl) || !/^https?:\/\//.test(getUrl)) {
    throw new Error('upload slot without http(s) put and get URLs');
  }
  const headers: Record<string, string> = {};
  for (const header of put!.getChildren('header')) {
    const name = String(header.attrs.name ?? '');
    // Only the headers XEP-0363 allows, and never line breaks.
    if (ALLOWED_HEADERS.has(name.toLowerCase())) headers[name] = textOf(header).replace(/[\r\n]/g, '');
  }
  return { putUrl, getUrl, headers };
}

/**
 * Uploads a file through the server's XEP-0363 service and resolves with the URL others can
 * fetch it from. Rejects if there is no service, the file is over its limit, or the PUT fails.
 */
export async function uploadFile(connection: Connection, file: Blob, filename: string): Promise<string> {
  const service = await findUploadService(connection);
  if (!service) throw new Error('the server offers no HTTP File Upload service');
  if (service.maxSize !== undefined && file.size > service.maxSize) {
    throw new RangeError(`the upload service takes files up to ${service.maxSize} bytes; this one has ${file.size}`);
  }
  const contentType = file.type || 'application/octet-stream';
  const slot = await requestUploadSlot(connection, service.jid, { filename, size: file.size, contentType });
  const response = await fetch(slot.putUrl, {
    method: 'PUT',
    body: file,
    headers: { ...slot.headers, 'Content-Type': contentType },
  });
  if (!response.ok) throw new Error(`upload failed: HTTP ${response.status}`);
  return slot.getUrl;
}
