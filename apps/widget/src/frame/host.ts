/** The page that embeds this frame (through the loader), reached only at the origin it claimed. */
import type { FrameMessage } from '../protocol.js';

let hostOrigin: string | null = null;

/** The origin from the frame's address (?origin=), when it is a plain http(s) origin. */
export function setHostOrigin(claimed: string | null): string | null {
  hostOrigin = null;
  if (claimed && parent !== window) {
    try {
      const u = new URL(claimed);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && u.origin === claimed) hostOrigin = claimed;
    } catch {
      // not an origin
    }
  }
  return hostOrigin;
}

export function post(message: FrameMessage): void {
  if (hostOrigin) parent.postMessage(message, hostOrigin);
}

/** Listens to the loader: only messages from our parent window at the claimed origin. */
export function listen(handler: (data: { type?: unknown; [k: string]: unknown }) => void): void {
  addEventListener('message', (event: MessageEvent) => {
    if (!hostOrigin || event.source !== parent || event.origin !== hostOrigin) return;
    if (event.data && typeof event.data === 'object') handler(event.data);
  });
}
