// Table ids (16 hex digits) as the bytes adapters store them, decoded once per table.

export class TableIdBytes {
  private readonly bytes = new Map<string, Buffer>();

  of(tableId: string): Buffer {
    let bytes = this.bytes.get(tableId);
    if (bytes === undefined) {
      bytes = Buffer.from(tableId, 'hex');
      this.bytes.set(tableId, bytes);
    }
    return bytes;
  }

  /** A dropped table's entry. */
  forget(tableId: string): void {
    this.bytes.delete(tableId);
  }
}
