// Round trips between StratusDB and PostgreSQL, read off the wire by a proxy watcher (tcp-proxy.ts):
// the messages a client sends after its startup message are a type byte and a 32-bit length each. A
// simple query ('Q') is one round trip, labelled with its SQL; in the extended protocol a Sync ('S')
// ends one, labelled with the statement its Bind ('B') named (or its Parse's SQL when unnamed).
import type { ProxyWatcher } from './tcp-proxy.js';

export interface RoundTrips extends ProxyWatcher {
  /** Every round trip so far, in the order the proxy saw them end. */
  readonly labels: string[];
}

export function postgresRoundTrips(): RoundTrips {
  const labels: string[] = [];
  const connections = new Map<number, { pending: Buffer; started: boolean; label: string }>();
  const cstring = (body: Buffer, from: number): [string, number] => {
    const end = body.indexOf(0, from);
    return [body.toString('utf8', from, end), end + 1];
  };
  return {
    labels,
    opened(connection) {
      connections.set(connection, { pending: Buffer.alloc(0), started: false, label: '' });
    },
    sent(connection, chunk) {
      const state = connections.get(connection);
      if (state === undefined) return;
      state.pending = Buffer.concat([state.pending, chunk]);
      for (;;) {
        if (!state.started) {
          // The startup message: a length, then the protocol version and parameters; no type byte.
          if (state.pending.length < 4) return;
          const length = state.pending.readInt32BE(0);
          if (state.pending.length < length) return;
          state.pending = state.pending.subarray(length);
          state.started = true;
          continue;
        }
        if (state.pending.length < 5) return;
        const type = String.fromCharCode(state.pending[0] as number);
        const length = state.pending.readInt32BE(1);
        if (state.pending.length < 1 + length) return;
        const body = state.pending.subarray(5, 1 + length);
        state.pending = state.pending.subarray(1 + length);
        if (type === 'Q') labels.push(cstring(body, 0)[0]);
        else if (type === 'P') {
          const [name, next] = cstring(body, 0);
          state.label = name === '' ? cstring(body, next)[0] : name;
        } else if (type === 'B') {
          const [, next] = cstring(body, 0);
          const statement = cstring(body, next)[0];
          if (statement !== '') state.label = statement;
        } else if (type === 'S') labels.push(state.label);
      }
    },
  };
}
