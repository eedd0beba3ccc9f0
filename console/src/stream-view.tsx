// A table's stream, live: every open shard read from LATEST with GetRecords every quarter second (a
// closed shard's children picked up from its end), each record shown with its event, keys and what
// changed between the old and new images; and the shards' lineage.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { TableDescription } from './table-types.js';
import { ErrorLine, Grid, useLoad } from './ui.js';
import { cellText, type AttributeValue, type Item } from './values.js';

const pollMs = 250;
const recordsKept = 200;

interface Shard {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly SequenceNumberRange?: { readonly StartingSequenceNumber?: string; readonly EndingSequenceNumber?: string };
}

interface StreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly dynamodb: {
    readonly ApproximateCreationDateTime?: number;
    readonly Keys?: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber?: string;
  };
  readonly userIdentity?: { readonly principalId?: string };
}

interface Change {
  readonly name: string;
  readonly before?: AttributeValue;
  readonly after?: AttributeValue;
}

/** The attributes whose values differ between two images (either may be missing). */
function imageDiff(before: Item | undefined, after: Item | undefined): Change[] {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return names
    .map((name) => ({ name, before: before?.[name], after: after?.[name] }))
    .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after))
    .map((c) => ({ name: c.name, ...(c.before === undefined ? {} : { before: c.before }), ...(c.after === undefined ? {} : { after: c.after }) }));
}

async function shardsOf(api: Api, arn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await api.call<{ StreamDescription: { Shards?: Shard[]; LastEvaluatedShardId?: string } }>('streams', 'DescribeStream', { StreamArn: arn, ...(start === undefined ? {} : { ExclusiveStartShardId: start }) });
    shards.push(...(page.StreamDescription.Shards ?? []));
    start = page.StreamDescription.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
}

/** Reads every open shard from now on, calling `seen` with each batch (and `ready` once each open shard has its iterator); returns a stop function. */
function follow(api: Api, arn: string, seen: (records: StreamRecord[]) => void, ready: (shards: number) => void, failed: (error: unknown) => void): () => void {
  let stopped = false;
  const iterators = new Map<string, string>();
  const known = new Set<string>();
  const discover = async (type: 'LATEST' | 'TRIM_HORIZON'): Promise<void> => {
    for (const shard of await shardsOf(api, arn)) {
      if (known.has(shard.ShardId)) continue;
      known.add(shard.ShardId);
      if (type === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue; // closed before we came
      const it = await api.call<{ ShardIterator?: string }>('streams', 'GetShardIterator', { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: type });
      if (it.ShardIterator !== undefined) iterators.set(shard.ShardId, it.ShardIterator);
    }
  };
  const loop = async (): Promise<void> => {
    await discover('LATEST');
    if (!stopped) ready(iterators.size);
    while (!stopped) {
      let closed = false;
      for (const [shard, iterator] of [...iterators]) {
        const out = await api.call<{ Records?: StreamRecord[]; NextShardIterator?: string }>('streams', 'GetRecords', { ShardIterator: iterator, Limit: 1000 });
        if (stopped) return;
        if ((out.Records ?? []).length > 0) seen(out.Records ?? []);
        if (out.NextShardIterator === undefined) {
          iterators.delete(shard);
          closed = true;
        } else {
          iterators.set(shard, out.NextShardIterator);
        }
      }
      if (closed || iterators.size === 0) await discover('TRIM_HORIZON');
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  loop().catch((error: unknown) => {
    if (!stopped) failed(error);
  });
  return () => {
    stopped = true;
  };
}

export function StreamView({ api, table }: { api: Api; table: TableDescription }): JSX.Element {
  const arn = table.StreamSpecification?.StreamEnabled === true ? table.LatestStreamArn : undefined;
  const [records, setRecords] = useState<StreamRecord[]>([]);
  const [error, setError] = useState<unknown>();
  const [following, setFollowing] = useState<number | undefined>();
  const shards = useLoad(async () => (arn === undefined ? [] : shardsOf(api, arn)), [api, arn, records.length > 0]);
  useEffect(() => {
    if (arn === undefined) return undefined;
    return follow(api, arn, (batch) => setRecords((old) => [...[...batch].reverse(), ...old].slice(0, recordsKept)), setFollowing, setError);
  }, [api, arn]);
  if (arn === undefined) return <p>The stream is off: turn it on in the Overview's settings to watch changes here.</p>;
  return (
    <section aria-labelledby="stream-title">
      <h2 id="stream-title">Live stream records</h2>
      <p class="muted">{table.StreamSpecification?.StreamViewType ?? ''} · newest first · following since this view opened</p>
      <ErrorLine error={error} />
      <ol class="records" aria-label="Stream records" aria-live="polite">
        {records.length === 0 ? <li class="muted">{following === undefined ? 'Connecting to the stream…' : `Waiting for changes… (following ${following} shard${following === 1 ? '' : 's'})`}</li> : records.map((r) => <RecordView key={r.eventID} record={r} />)}
      </ol>
      <h2>Shards</h2>
      <ErrorLine error={shards.error} />
      <Grid<Shard>
        label="Shards" rows={shards.value ?? []} rowKey={(s) => s.ShardId} empty="No shards"
        columns={[
          { title: 'Shard', cell: (s) => <span class="mono">{s.ShardId}</span> },
          { title: 'Parent', cell: (s) => <span class="mono">{s.ParentShardId ?? '—'}</span> },
          { title: 'State', cell: (s) => (s.SequenceNumberRange?.EndingSequenceNumber === undefined ? 'open' : 'closed') },
          { title: 'First sequence number', cell: (s) => <span class="mono">{s.SequenceNumberRange?.StartingSequenceNumber ?? ''}</span> },
        ]}
      />
    </section>
  );
}

function RecordView({ record }: { record: StreamRecord }): JSX.Element {
  const d = record.dynamodb;
  const keys = Object.entries(d.Keys ?? {}).map(([k, v]) => `${k}=${cellText(v)}`).join(', ');
  const changes = imageDiff(d.OldImage, d.NewImage);
  const at = d.ApproximateCreationDateTime === undefined ? '' : new Date(d.ApproximateCreationDateTime * 1000).toLocaleTimeString();
  return (
    <li class={`record ${record.eventName.toLowerCase()}`}>
      <div class="record-head">
        <strong>{record.eventName}</strong> <span class="mono">{keys}</span> <span class="muted">{at}{record.userIdentity?.principalId === undefined ? '' : ` · by ${record.userIdentity.principalId}`}</span>
      </div>
      {changes.length === 0 ? null : (
        <ul class="diff">
          {changes.map((c) => (
            <li key={c.name}>
              <span class="mono">{c.name}</span>:{' '}
              {c.before === undefined ? null : <del>{cellText(c.before)}</del>}
              {c.before !== undefined && c.after !== undefined ? ' → ' : ' '}
              {c.after === undefined ? null : <ins>{cellText(c.after)}</ins>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
