/**
 * Messages between the loader (on the customer's page) and the chat frame (on the Rapport origin).
 * Both sides check event.origin and event.source before reading one, and always post with an
 * explicit target origin.
 */
export interface WidgetUser {
  id: string;
  email?: string;
  name?: string;
  /** HMAC-SHA256 of the id with the inbox's identity secret, computed by the site's server. Without it the identity is unverified. */
  hash?: string;
}

export interface PageContext {
  url?: string;
  referrer?: string;
}

/** Frame → loader. */
export type FrameMessage =
  | { type: 'rapport:ready' }
  | { type: 'rapport:state'; open: boolean }
  /** The widget cannot work here (unknown key): the loader removes the frame. */
  | { type: 'rapport:hide'; reason: string };

/** Loader → frame. */
export type HostMessage =
  | { type: 'rapport:init'; user: WidgetUser | null; context: PageContext; compact: boolean }
  | { type: 'rapport:layout'; compact: boolean }
  | { type: 'rapport:open' }
  | { type: 'rapport:close' };

/** Below this host viewport width the open chat covers the whole screen. */
export const COMPACT_WIDTH = 480;
