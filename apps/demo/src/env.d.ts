/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** WebSocket URL of the XMPP server the demo is built for. */
  readonly VITE_XSYNC_SERVICE?: string;
  readonly VITE_XSYNC_DOMAIN?: string;
  /** Service holding the rooms: a MUC service, or a MIX service. */
  readonly VITE_XSYNC_ROOM_SERVICE?: string;
  /** Bare JID of the catch-up bot. */
  readonly VITE_XSYNC_BOT?: string;
  /** `register`: visitors get guest accounts by in-band registration. */
  readonly VITE_XSYNC_GUESTS?: string;
  /** Room opened by default. */
  readonly VITE_XSYNC_ROOM?: string;
}
