// Parsed statements by text, per server: an application sends a few texts with `?` parameters
// many times, and each is parsed once.
import type { ParsedStatement } from './ast.js';
import { parseStatement } from './parser.js';

/** Distinct statement texts kept; texts with inline literals each take a slot. */
export const statementCacheEntriesMax = 1000;

export class StatementCache {
  private readonly entries = new Map<string, ParsedStatement>();

  /** The parsed statement; throws StatementError (not cached) for a statement DynamoDB refuses. */
  get(text: string): ParsedStatement {
    let entry = this.entries.get(text);
    if (entry === undefined) {
      entry = parseStatement(text);
      if (this.entries.size >= statementCacheEntriesMax) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(text, entry);
    }
    return entry;
  }
}
