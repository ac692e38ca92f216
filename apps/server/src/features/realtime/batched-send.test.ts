import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { sendBatched } from './batched-send.js';

let server: WebSocketServer | undefined;
afterEach(() => server?.close());

async function pair(): Promise<{ near: WebSocket; far: WebSocket; received: string[]; writes: () => number }> {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const far = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [near] = (await once(server, 'connection')) as [WebSocket];
  await once(far, 'open');
  const received: string[] = [];
  far.on('message', (d) => received.push(d.toString()));
  // Counts the writes that reach the socket's handle (one system call each).
  const socket = (near as unknown as { _socket: Socket & { _writeGeneric: (...a: unknown[]) => void } })._socket;
  let writes = 0;
  const original = socket._writeGeneric.bind(socket);
  socket._writeGeneric = (...a: unknown[]) => {
    writes++;
    return original(...a);
  };
  return { near, far, received, writes: () => writes };
}

describe('frames sent in one turn', () => {
  it('arrive in order, in one write, and a frame of a later turn is not held back', async () => {
    const { near, far, received, writes } = await pair();
    for (let i = 0; i < 8; i++) sendBatched(near, `frame ${i}`);
    while (received.length < 8) await once(far, 'message');
    expect(received).toEqual(Array.from({ length: 8 }, (_, i) => `frame ${i}`));
    expect(writes()).toBe(1);
    sendBatched(near, 'later');
    await once(far, 'message');
    expect(received.at(-1)).toBe('later');
    far.close();
  });
});
