/** An XMPP account on a local server. */
export interface Account {
  username: string;
  password: string;
  /** Bare JID, `username@domain`. */
  jid: string;
}

/** Which server software a {@link XmppServer} runs. */
export type ServerKind = 'ejabberd' | 'prosody';

/** What every project-local XMPP server offers, whichever software runs it. */
export interface XmppServer {
  kind: ServerKind;
  /** The server's version, e.g. `24.12` or `13.0.1`. */
  version: string;
  domain: string;
  /** The MUC service's domain, `muc.<domain>`, with MAM on rooms and occupant ids (XEP-0421). */
  mucDomain: string;
  /** `xmpp://127.0.0.1:<c2sPort>` for Node clients. */
  tcpUrl: string;
  /** `ws://127.0.0.1:<httpPort>/ws` (RFC 7395) for browsers. */
  wsUrl: string;
  c2sPort: number;
  httpPort: number;
  /** Config, data and logs. */
  dataDir: string;
  /** Operating-system process id of the server. */
  pid: number;
  /** Registers an account; a random name and password are chosen when omitted. */
  createAccount(username?: string, password?: string): Promise<Account>;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}
