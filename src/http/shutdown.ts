// Graceful shutdown of the HTTP server: stop accepting at once, let requests already running finish
// within a grace period, close idle and stalled connections, refuse requests that arrive meanwhile
// (503, so SDKs retry them elsewhere), and after the grace period close whatever is left.
//
// Connections are tracked here rather than with server.closeIdleConnections(), which counts a
// connection whose request has arrived as idle even while its answer is still being written — and
// http.Server#close() calls it, so listening stops through net.Server#close() instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { ServiceUnavailable } from '../errors/errors.js';
import { errorBody } from '../pipeline/serialize.js';
import { send } from './reply.js';

const shuttingDown = new ServiceUnavailable('The server is shutting down');
const shuttingDownBody = errorBody(shuttingDown);

export interface RequestTracker {
  /** Called for each request; false when the server is shutting down and the request was refused. */
  admit(req: IncomingMessage, res: ServerResponse, requestId: string): boolean;
  /** Stops the server; resolves once every connection is closed, at most `graceMs` later. */
  drain(graceMs: number): Promise<void>;
}

/** `connectionEvent`: 'secureConnection' for an HTTPS server, whose requests' sockets are the TLS ones. */
export function trackRequests(server: NetServer, connectionEvent: 'connection' | 'secureConnection' = 'connection'): RequestTracker {
  /** Every open connection, with the requests on it that are admitted and not yet answered. */
  const connections = new Map<Socket, Set<ServerResponse>>();
  let draining = false;
  let settled: (() => void) | undefined;

  server.on(connectionEvent, (socket: Socket) => {
    connections.set(socket, new Set());
    socket.once('close', () => {
      connections.delete(socket);
      if (draining && connections.size === 0) settled?.();
    });
  });

  // One listener function for every response (no closure per request): `this` is the response.
  function finished(this: ServerResponse): void {
    const socket = this.req.socket;
    const pending = connections.get(socket);
    pending?.delete(this);
    if (draining && pending?.size === 0) closeAfterWriting(socket);
  }

  return {
    admit(req, res, requestId) {
      if (draining) {
        req.resume();
        res.shouldKeepAlive = false;
        send(res, requestId, shuttingDown.statusCode, 'application/x-amz-json-1.0', shuttingDownBody);
        return false;
      }
      connections.get(req.socket)?.add(res);
      // A response emits 'close' once, whether answered or cut off.
      res.on('close', finished);
      return true;
    },

    async drain(graceMs) {
      draining = true;
      NetServer.prototype.close.call(server);
      for (const [socket, pending] of connections) {
        // Idle, or still sending its request (a request whose body has not all arrived has not run:
        // its client may send it again).
        if ([...pending].some((res) => !res.req.complete)) socket.destroy();
        else if (pending.size === 0) closeAfterWriting(socket);
        else for (const res of pending) if (!res.headersSent) res.shouldKeepAlive = false;
      }
      if (connections.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          settled = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      for (const socket of connections.keys()) socket.destroy();
    },
  };
}

/** An answer counts as sent before all of it has left the process: end the connection once it has. */
function closeAfterWriting(socket: Socket): void {
  socket.once('finish', () => socket.destroy());
  socket.end();
}
