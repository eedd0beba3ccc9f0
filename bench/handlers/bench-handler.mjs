// The benchmark's trigger handler: does nothing with the records but note, per batch, when it ran
// (epoch ms with sub-ms precision) and which probe keys and how many records it got, in OUT_FILE.
import { appendFileSync } from 'node:fs';

export async function handler(event) {
  const at = performance.timeOrigin + performance.now();
  const probes = [];
  for (const r of event.Records) {
    const key = r.dynamodb.Keys.pk.S;
    if (key.startsWith('probe')) probes.push(key);
  }
  appendFileSync(process.env.OUT_FILE, `${JSON.stringify({ at, count: event.Records.length, probes })}\n`);
}
