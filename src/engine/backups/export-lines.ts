// The lines of an export's data files, by format and type, as DynamoDB documents them: a full export
// is one item a line (`{"Item":…}` in DynamoDB JSON, `$ion_1_0 {Item:…}` in Amazon Ion); an
// incremental export is one changed item a line, its writes in the period coalesced — Metadata
// (WriteTimestampMicros of its last write), Keys, OldImage (NEW_AND_OLD_IMAGES, when it existed
// before the period) and NewImage (when it exists after it: a deleted item has none).
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import type { StoredItem } from '../../storage/storage.js';
import type { ItemChange } from '../recovery/recovery-snapshot.js';
import type { ExportLine } from './backup-files.js';
import { ionStruct } from './ion-text.js';

export type ExportFormat = 'DYNAMODB_JSON' | 'ION';
export type ExportViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** Items as a full export's lines. */
export async function* fullExportLines(pages: AsyncIterable<readonly StoredItem[]>, format: ExportFormat): AsyncGenerator<ExportLine[]> {
  for await (const page of pages) {
    yield page.map((item) => ({
      text: format === 'ION' ? `$ion_1_0 {Item:${ionStruct(JSON.parse(item.json) as AttributeMap)}}` : `{"Item":${item.json}}`,
      sizeBytes: item.sizeBytes,
    }));
  }
}

/** Changed items as an incremental export's lines; `keyNames` are the table's key attributes. An item made and removed within the period leaves no line. */
export function incrementalExportLines(changes: readonly ItemChange[], format: ExportFormat, view: ExportViewType, keyNames: readonly string[]): ExportLine[] {
  const lines: ExportLine[] = [];
  for (const change of changes) {
    const newImage = change.next === null ? undefined : (JSON.parse(change.next.json) as AttributeMap);
    const oldImage = change.old === null || view === 'NEW_IMAGE' ? undefined : (JSON.parse(change.old.json) as AttributeMap);
    const some = newImage ?? (change.old === null ? undefined : (JSON.parse(change.old.json) as AttributeMap));
    if (some === undefined) continue;
    const keys: Record<string, AttributeValue> = {};
    for (const name of keyNames) if (some[name] !== undefined) keys[name] = some[name];
    const micros = change.t * 1000;
    const text = format === 'ION'
      ? `$ion_1_0 {Metadata:{WriteTimestampMicros:${micros}},Keys:${ionStruct(keys)}${oldImage === undefined ? '' : `,OldImage:${ionStruct(oldImage)}`}${newImage === undefined ? '' : `,NewImage:${ionStruct(newImage)}`}}`
      : `{"Metadata":{"WriteTimestampMicros":{"N":"${micros}"}},"Keys":${JSON.stringify(keys)}${oldImage === undefined ? '' : `,"OldImage":${change.old?.json ?? ''}`}${newImage === undefined ? '' : `,"NewImage":${change.next?.json ?? ''}`}}`;
    lines.push({ text, sizeBytes: change.next?.sizeBytes ?? change.old?.sizeBytes ?? 0 });
  }
  return lines;
}
