// A TCP proxy in front of a server that cuts connections at random: before forwarding a chunk of a
// request (the server never sees it whole) or of a response (the server acted, the client never
// hears). Tests use it to show what clients retrying through broken connections cause.
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface FlakyProxy {
  readonly endpoint: string;
  /** Connections cut while a request was on its way, and while a response was. */
  readonly cuts: { requests: number; responses: number };
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string, options: { requestCut: number; responseCut: number; random: () => number }): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target);
  const cuts = { requests: 0, responses: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (options.random() < options.requestCut) {
        cuts.requests++;
        cut();
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (options.random() < options.responseCut) {
        cuts.responses++;
        cut();
      } else client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cuts,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
