/**
 * A TCP proxy in front of a server (Redis, PostgreSQL) that a test can cut and restore, so a
 * server process loses its backing service mid-traffic without touching the machine's shared one.
 * Two ways to lose it: the service stops (every connection reset, new ones refused), and a
 * network partition (connections stay open and nothing answers; they are reset when it heals).
 */
import net from 'node:net';

export interface TcpProxy {
  /** The target URL with its host and port replaced by the proxy's. */
  url: string;
  /** Connections currently piped to the target. */
  open(): number;
  /** silent: a partition (nothing answers) instead of a stopped service (connections reset). */
  cut(mode?: 'reset' | 'silent'): void;
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: string, defaultPort: number): Promise<TcpProxy> {
  const to = new URL(target);
  const host = to.hostname || '127.0.0.1';
  const port = Number(to.port || defaultPort);
  const pairs = new Set<[net.Socket, net.Socket]>();
  /** Connections accepted during a partition: they hear nothing back. */
  const stranded = new Set<net.Socket>();
  let down: false | 'reset' | 'silent' = false;
  const server = net.createServer((client) => {
    if (down === 'silent') {
      stranded.add(client);
      client.on('error', () => undefined).on('close', () => stranded.delete(client));
      client.resume();
      return;
    }
    if (down) {
      // The service is gone: the connection is reset at once.
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    open: () => pairs.size,
    cut(mode = 'reset') {
      down = mode;
      for (const [client, upstream] of [...pairs]) {
        if (mode === 'reset') {
          client.destroy();
          upstream.destroy();
        } else {
          // Whatever is sent from now on is lost, both ways; the connections look alive.
          client.unpipe(upstream);
          upstream.unpipe(client);
          client.resume();
          upstream.resume();
          stranded.add(client);
        }
      }
    },
    restore() {
      // A healed partition: the stale connections are reset (as keep-alives or the peer would).
      for (const client of stranded) client.destroy();
      stranded.clear();
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        down = 'reset';
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        for (const client of stranded) client.destroy();
        server.close(() => resolve());
      }),
  };
}
