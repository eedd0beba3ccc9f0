// An item as storage holds it, and a slice of a table's keys: the shapes the engine and its
// callers share with the storage adapters (which know nothing of DynamoDB beyond them).

/** An item as stored: its canonical JSON (DynamoDB wire shape) and its DynamoDB size. */
export interface StoredItem {
  readonly json: string;
  readonly sizeBytes: number;
}

/** A slice of one table's items in key order: start inclusive, end exclusive, in either direction. */
export interface KeyRange {
  /** Lowest key included; undefined from the table's first item. */
  readonly start?: Uint8Array;
  /** First key excluded; undefined to the table's last item. */
  readonly end?: Uint8Array;
  /** Highest key first. */
  readonly reverse?: boolean;
}
