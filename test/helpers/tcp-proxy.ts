// A TCP proxy for tests that need to come between StratusDB and PostgreSQL: it can drop every
// connection and refuse new ones until restored (an outage), and it hands each chunk a client sends
// to a watcher (to count round trips, postgres-round-trips.ts).
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** What the proxy tells a watcher: a new connection (its number), then each chunk its client sent. */
export interface ProxyWatcher {
  opened(connection: number): void;
  sent(connection: number, chunk: Buffer): void;
}

export async function tcpProxy(target: URL, watcher?: ProxyWatcher): Promise<TcpProxy> {
  let down = false;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const connection = connections++;
    watcher?.opened(connection);
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    if (watcher !== undefined) client.on('data', (chunk: Buffer) => watcher.sent(connection, chunk));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The URL `data` with its host and port replaced by the proxy's. */
export function viaProxy(data: string, proxy: TcpProxy): string {
  const url = new URL(data);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}
