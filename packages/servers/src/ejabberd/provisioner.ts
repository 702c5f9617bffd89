import { client, xml } from '@xmpp/client';

const NS_MIX_CORE = 'urn:xmpp:mix:core:1';

/** An XMPP session of the server's provisioning account, used to create MIX channels. */
export class Provisioner {
  #xmpp: ReturnType<typeof client> | undefined;
  #ready: Promise<void> | undefined;

  constructor(private readonly options: { service: string; domain: string; username: string; password: string }) {}

  /** Creates a MIX channel (XEP-0369 §7.3.2) and returns its bare JID. */
  async createChannel(mixDomain: string, name: string): Promise<string> {
    const xmpp = await this.#connect();
    const result = await xmpp.iqCaller.request(
      xml('iq', { type: 'set', to: mixDomain }, xml('create', { xmlns: NS_MIX_CORE, channel: name })),
    );
    const channel = result.getChild('create')?.attrs.channel as string | undefined;
    return `${channel ?? name}@${mixDomain}`;
  }

  async close(): Promise<void> {
    const xmpp = this.#xmpp;
    this.#xmpp = undefined;
    this.#ready = undefined;
    if (!xmpp) return;
    await xmpp.stop().catch(() => undefined);
  }

  #connect(): Promise<ReturnType<typeof client>> {
    if (!this.#xmpp) {
      const xmpp = client({ ...this.options, resource: 'provisioner' });
      xmpp.reconnect.stop();
      xmpp.on('error', () => undefined);
      this.#xmpp = xmpp;
      this.#ready = xmpp.start().then(() => undefined);
    }
    const xmpp = this.#xmpp;
    return this.#ready!.then(() => xmpp);
  }
}
