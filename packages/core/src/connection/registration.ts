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

/**
 * Registers `username` on the still unauthenticated stream (XEP-0077 §3.1). An account that
 * already exists (`conflict`) counts as registered: signing in then decides, and a wrong
 * password fails as any login does.
 */
export async function registerInBand(
  request: (iq: Element) => Promise<Element>,
  username: string,
  password: string,
): Promise<void> {
  const form = xml('query', { xmlns: NS_REGISTER }, xml('username', {}, username), xml('password', {}, password));
  try {
    await request(xml('iq', { type: 'set' }, form));
  } catch (error) {
    const { condition, text } = error as { condition?: string; text?: string };
    if (condition === undefined) throw error;
    if (condition !== 'conflict') throw new RegistrationError(condition, text);
  }
}
