/**
 * Event frames sent in one turn of the event loop leave in one write per socket. A batch of
 * messages is committed and pushed together; without this each agent's socket would make one
 * system call per message, and on a busy server those calls cost more than the frames.
 *
 * The socket under the WebSocket is corked on the first frame of the turn and uncorked once the
 * turn's promise jobs have all run (setImmediate), so every event of the batch is in.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const corked = new Set<Socket>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

export function sendBatched(ws: WebSocket, data: string): void {
  // ws keeps the connection's socket in _socket; without one (a test double) frames go one by one.
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (socket && !corked.has(socket) && !socket.destroyed) {
    if (corked.size === 0) setImmediate(uncorkAll);
    socket.cork();
    corked.add(socket);
  }
  ws.send(data);
}
