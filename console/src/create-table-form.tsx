// CreateTable as a form: keys, billing mode, stream, and any number of GSIs and LSIs. What the server
// refuses is shown as it answered (DynamoDB's own validation).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { Dialog, ErrorLine, Field, Select } from './ui.js';

type KeyType = 'S' | 'N' | 'B';
const keyTypes: readonly (readonly [KeyType, string])[] = [['S', 'String'], ['N', 'Number'], ['B', 'Binary']];
const streamViews = [['off', 'Off'], ['NEW_AND_OLD_IMAGES', 'New and old images'], ['NEW_IMAGE', 'New image'], ['OLD_IMAGE', 'Old image'], ['KEYS_ONLY', 'Keys only']] as const;

export interface KeyDraft {
  readonly name: string;
  readonly type: KeyType;
}
interface IndexDraft {
  readonly name: string;
  readonly hash: KeyDraft;
  readonly range: KeyDraft;
}

const emptyKey: KeyDraft = { name: '', type: 'S' };

/** A key name and type, side by side. */
export function KeyFields({ label, value, onChange, required }: { label: string; value: KeyDraft; onChange: (k: KeyDraft) => void; required?: boolean }): JSX.Element {
  return (
    <div class="row">
      <Field label={label} value={value.name} onInput={(name) => onChange({ ...value, name })} required={required === true} />
      <Select label={`${label} type`} value={value.type} options={keyTypes} onChange={(type) => onChange({ ...value, type })} />
    </div>
  );
}

/** The KeySchema and AttributeDefinitions of a key pair, added to `definitions`. */
export function keySchema(hash: KeyDraft, range: KeyDraft, definitions: Map<string, KeyType>): { AttributeName: string; KeyType: string }[] {
  const schema = [{ AttributeName: hash.name.trim(), KeyType: 'HASH' }];
  definitions.set(hash.name.trim(), hash.type);
  if (range.name.trim() !== '') {
    schema.push({ AttributeName: range.name.trim(), KeyType: 'RANGE' });
    definitions.set(range.name.trim(), range.type);
  }
  return schema;
}

export function CreateTableForm({ api, onClose, onCreated }: { api: Api; onClose: () => void; onCreated: (name: string) => void }): JSX.Element {
  const [name, setName] = useState('');
  const [hash, setHash] = useState<KeyDraft>(emptyKey);
  const [range, setRange] = useState<KeyDraft>(emptyKey);
  const [billing, setBilling] = useState<'PAY_PER_REQUEST' | 'PROVISIONED'>('PAY_PER_REQUEST');
  const [rcu, setRcu] = useState('5');
  const [wcu, setWcu] = useState('5');
  const [stream, setStream] = useState<(typeof streamViews)[number][0]>('off');
  const [gsis, setGsis] = useState<IndexDraft[]>([]);
  const [lsis, setLsis] = useState<IndexDraft[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const definitions = new Map<string, KeyType>();
    const throughput = { ReadCapacityUnits: Number(rcu), WriteCapacityUnits: Number(wcu) };
    const provisioned = billing === 'PROVISIONED';
    const input = {
      TableName: name.trim(),
      KeySchema: keySchema(hash, range, definitions),
      BillingMode: billing,
      ...(provisioned ? { ProvisionedThroughput: throughput } : {}),
      ...(stream === 'off' ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } }),
      ...(gsis.length === 0 ? {} : {
        GlobalSecondaryIndexes: gsis.map((g) => ({ IndexName: g.name.trim(), KeySchema: keySchema(g.hash, g.range, definitions), Projection: { ProjectionType: 'ALL' }, ...(provisioned ? { ProvisionedThroughput: throughput } : {}) })),
      }),
      ...(lsis.length === 0 ? {} : {
        LocalSecondaryIndexes: lsis.map((l) => ({ IndexName: l.name.trim(), KeySchema: keySchema(hash, l.range, definitions), Projection: { ProjectionType: 'ALL' } })),
      }),
    };
    try {
      await api.dynamodb('CreateTable', { ...input, AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })) });
      onCreated(input.TableName);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const update = <T,>(list: T[], set: (l: T[]) => void, i: number, value: T): void => set(list.map((x, j) => (j === i ? value : x)));
  return (
    <Dialog title="Create table" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <Field label="Table name" value={name} onInput={setName} required autoFocus />
        <KeyFields label="Partition key" value={hash} onChange={setHash} required />
        <KeyFields label="Sort key (optional)" value={range} onChange={setRange} />
        <div class="row">
          <Select label="Capacity mode" value={billing} options={[['PAY_PER_REQUEST', 'On-demand'], ['PROVISIONED', 'Provisioned']]} onChange={setBilling} />
          {billing === 'PROVISIONED' ? <Field label="Read capacity units" type="number" value={rcu} onInput={setRcu} /> : null}
          {billing === 'PROVISIONED' ? <Field label="Write capacity units" type="number" value={wcu} onInput={setWcu} /> : null}
        </div>
        <Select label="Stream" value={stream} options={streamViews} onChange={setStream} />
        <fieldset>
          <legend>Global secondary indexes</legend>
          {gsis.map((g, i) => (
            <div class="index-draft" key={i}>
              <Field label={`GSI ${i + 1} name`} value={g.name} onInput={(n) => update(gsis, setGsis, i, { ...g, name: n })} required />
              <KeyFields label={`GSI ${i + 1} partition key`} value={g.hash} onChange={(k) => update(gsis, setGsis, i, { ...g, hash: k })} required />
              <KeyFields label={`GSI ${i + 1} sort key (optional)`} value={g.range} onChange={(k) => update(gsis, setGsis, i, { ...g, range: k })} />
              <button type="button" onClick={() => setGsis(gsis.filter((_, j) => j !== i))}>Remove GSI {i + 1}</button>
            </div>
          ))}
          <button type="button" onClick={() => setGsis([...gsis, { name: '', hash: emptyKey, range: emptyKey }])}>Add global secondary index</button>
        </fieldset>
        <fieldset>
          <legend>Local secondary indexes</legend>
          {lsis.map((l, i) => (
            <div class="index-draft" key={i}>
              <Field label={`LSI ${i + 1} name`} value={l.name} onInput={(n) => update(lsis, setLsis, i, { ...l, name: n })} required />
              <KeyFields label={`LSI ${i + 1} sort key`} value={l.range} onChange={(k) => update(lsis, setLsis, i, { ...l, range: k })} required />
              <button type="button" onClick={() => setLsis(lsis.filter((_, j) => j !== i))}>Remove LSI {i + 1}</button>
            </div>
          ))}
          <button type="button" onClick={() => setLsis([...lsis, { name: '', hash: emptyKey, range: emptyKey }])}>Add local secondary index</button>
        </fieldset>
        <ErrorLine error={error} />
        <div class="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>Create</button>
        </div>
      </form>
    </Dialog>
  );
}
