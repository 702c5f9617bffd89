import { type Element, xml } from '../xml/index.js';

export const NS_REGISTER = 'jabber:iq:register';

/** Why in-band registration failed ([XEP-0077 §3.1](https://xmpp.org/extensions/xep-0077.html#usecases-register)). */
export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
  /** The stanza error condition: `not-allowed`, `not-acceptable`, `resource-constraint`, … */
  readonly condition: string;

  constructor(condition: string, text?: string) {
    super(`The server refused to register the account (${condition})${text ? `: ${text}` : ''}`);
    this.condition = condition;
  }
}

type Authenticate = (
  credentials: { username: string; password: string },
  mechanism: string,
  userAgent: Element,
) => Promise<void>;

/**
 * A SASL credentials handler that first registers the account on the still unauthenticated
 * stream (XEP-0077), then signs in. An account that already exists (`conflict`) is signed in
 * as it is: a wrong password then fails as any login does. Registers on the first session
 * only; reconnects just sign in.
 */
export function registeringCredentials(
  request: (iq: Element) => Promise<Element>,
  username: string,
  password: string,
): (authenticate: Authenticate, mechanisms: string[]) => Promise<void> {
  let registered = false;
  // SASL2 servers want a stable user agent id, as xmpp.js sends when it chooses credentials.
  const userAgent = xml('user-agent', { id: globalThis.crypto.randomUUID() });
  return async (authenticate, mechanisms) => {
    if (!registered) {
      const form = xml('query', { xmlns: NS_REGISTER }, xml('username', {}, username), xml('password', {}, password));
      try {
        await request(xml('iq', { type: 'set' }, form));
      } catch (error) {
        const { condition, text } = error as { condition?: string; text?: string };
        if (condition === undefined) throw error;
        if (condition !== 'conflict') throw new RegistrationError(condition, text);
      }
      registered = true;
    }
    // As xmpp.js chooses: never PLAIN when another mechanism is offered.
    const mechanism = mechanisms.find((name) => name !== 'PLAIN') ?? mechanisms[0]!;
    await authenticate({ username, password }, mechanism, userAgent);
  };
}
