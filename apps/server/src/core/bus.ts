/**
 * The event bus realtime fan-out listens to. In-process for one node; a Redis implementation
 * takes its place when REDIS_URL is set and several nodes serve the same workspace.
 */
import { EventEmitter } from 'node:events';

export interface BusEvent {
  /** The outbox row id: consumers drop repeats by it. 0 for transient events (typing, viewing, presence), which have no row. */
  id: number;
  /** Not stored: lost if nobody hears it, and never replayed (typing, viewing, presence). */
  transient?: boolean;
  accountId: string;
  event: string;
  conversationId: string | null;
  /** Whose agents may see it: the conversation's inbox. */
  inboxId: string | null;
  payload: Record<string, unknown>;
}

export interface Bus {
  publish(event: BusEvent): Promise<void>;
  subscribe(handler: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

export function inProcessBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit('event', event);
    },
    subscribe(handler) {
      emitter.on('event', handler);
      return () => emitter.off('event', handler);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

const PUBLISH_TIMEOUT_MS = 1000;

/**
 * Fan-out across nodes through Redis pub/sub. Every node publishes the outbox rows it claimed and
 * hears every node's, its own included, so local listeners are fed from Redis only.
 */
export async function redisBus(url: string, prefix: string): Promise<Bus> {
  const { Redis } = await import('ioredis');
  const channel = `${prefix}events`;
  // While Redis is away a publish fails at once instead of waiting in an offline queue through
  // reconnect attempts, and one that gets no answer (a network partition) gives up after a
  // second: the request that wrote the data must not wait for its push, and a push that cannot
  // go now is recovered by the clients' resync, not by a late replay.
  const pub = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true, commandTimeout: PUBLISH_TIMEOUT_MS });
  const sub = new Redis(url);
  for (const c of [pub, sub]) {
    c.on('error', () => {
      /* reconnects by itself; a lost event is recovered by the clients' resync */
    });
  }
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  await pub.connect();
  await sub.subscribe(channel);
  sub.on('message', (_channel: string, raw: string) => {
    try {
      emitter.emit('event', JSON.parse(raw) as BusEvent);
    } catch {
      /* not ours */
    }
  });
  return {
    async publish(event) {
      try {
        await pub.publish(channel, JSON.stringify(event));
      } catch (err) {
        // No answer in time: the connection is dead without having said so. Drop it, so the next
        // publishes fail at once (instead of each waiting) until it has reconnected.
        if (err instanceof Error && /timed out/i.test(err.message)) pub.disconnect(true);
        throw err;
      }
    },
    subscribe(handler) {
      emitter.on('event', handler);
      return () => emitter.off('event', handler);
    },
    async close() {
      emitter.removeAllListeners();
      sub.disconnect();
      await pub.quit().catch(() => pub.disconnect());
    },
  };
}
