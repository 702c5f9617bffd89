import type { Client } from '@xmpp/client';
import type { Element } from '../xml/index.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_SASL2 = 'urn:xmpp:sasl:2';
const NS_SM = 'urn:xmpp:sm:3';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';

/** How a session of a {@link Connection} signed in. */
export interface LoginInfo {
  /** `sasl2`: XEP-0388, with Bind2 and stream management inline; `sasl`: RFC 6120 SASL, then bind. */
  profile: 'sasl2' | 'sasl';
  /** The SASL mechanism: `SCRAM-SHA-1`, or a FAST mechanism such as `HT-SHA-256-NONE` for a token. */
  mechanism: string;
  /** The previous session was resumed (XEP-0198) instead of a new one bound. */
  resumed: boolean;
  /**
   * What the client sent and had answered on its way in, in order, on this socket: `stream`
   * (a stream header, the first and each restart), `authenticate`/`auth`, `response`, `bind`,
   * `resume`, `enable`; `stream+authenticate` when both left together (pipelining).
   */
  exchanges: string[];
  /**
   * Round trips from the open socket to the session (TCP or WebSocket set-up not counted):
   * every exchange but `enable`, whose answer nothing waits for.
   */
  roundTrips: number;
  /**
   * Stanzas of the application (a room's join, a catch-up) that left right behind the first
   * session's FAST `<authenticate/>` and were handled with it ([SES12]); 0 when none did.
   */
  withLogin?: number;
}

/**
 * Follows the login on each new socket of `xmpp` from the elements it sends and receives,
 * so that tests, benchmarks and applications can see which path a login took.
 */
export function traceLogin(xmpp: Client, pipelined: () => boolean = () => false): () => LoginInfo | undefined {
  let exchanges: string[] = [];
  let login: Omit<LoginInfo, 'exchanges' | 'roundTrips'> | undefined;
  let last: LoginInfo | undefined;
  const emitter = xmpp as unknown as { on(event: string, listener: (element: Element) => void): void };
  emitter.on('connect', () => {
    exchanges = [];
  });
  emitter.on('open', () => exchanges.push('stream'));
  emitter.on('send', (element) => {
    const { xmlns, mechanism } = element.attrs as { xmlns?: string; mechanism?: string };
    if (element.name === 'authenticate' && xmlns === NS_SASL2) {
      login = { profile: 'sasl2', mechanism: String(mechanism), resumed: false };
      exchanges.push('authenticate');
    } else if (element.name === 'auth' && xmlns === NS_SASL) {
      login = { profile: 'sasl', mechanism: String(mechanism), resumed: false };
      exchanges.push('auth');
    } else if (element.name === 'response' && (xmlns === NS_SASL || xmlns === NS_SASL2)) {
      exchanges.push('response');
    } else if ((element.name === 'resume' || element.name === 'enable') && xmlns === NS_SM) {
      exchanges.push(element.name);
    } else if (element.name === 'iq' && element.getChild('bind', NS_BIND)) {
      exchanges.push('bind');
    }
  });
  emitter.on('element', (element) => {
    if (!login) return;
    if (element.name === 'success' && element.attrs.xmlns === NS_SASL2) {
      login.resumed = element.getChild('resumed', NS_SM) !== undefined;
    } else if (element.name === 'resumed' && element.attrs.xmlns === NS_SM) {
      login.resumed = true;
    }
  });
  return () => {
    if (!login) return last;
    let steps = [...exchanges];
    if (pipelined()) {
      // The <authenticate/> left with the stream header: one round trip for both.
      steps.splice(steps.indexOf('stream'), 1);
      steps = steps.map((step, i) => (i === steps.indexOf('authenticate') ? 'stream+authenticate' : step));
    }
    last = {
      ...login,
      exchanges: steps,
      roundTrips: steps.filter((step) => step !== 'enable').length,
    };
    return last;
  };
}
