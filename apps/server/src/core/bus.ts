/**
 * The event bus realtime fan-out listens to. In-process for one node; a Redis implementation
 * takes its place when REDIS_URL is set and several nodes serve the same workspace.
 */
import { EventEmitter } from 'node:events';

export interface BusEvent {
  /** The outbox row id: consumers drop repeats by it. */
  id: number;
  accountId: string;
  event: string;
  conversationId: string | null;
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
