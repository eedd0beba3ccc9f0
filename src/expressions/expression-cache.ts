// Parsed expressions are cached by their text: the same expression is parsed once per server.
import { ExpressionError } from './lexer.js';
import { parseConditionText, parseProjectionText, parseUpdateText, type ParsedCondition, type ParsedProjection, type ParsedUpdate } from './parser.js';

/** Distinct expression texts kept; an application uses a handful, a fuzzer many. */
export const expressionCacheEntriesMax = 1000;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export class ExpressionCache {
  private readonly conditions = new Map<string, Parsed<ParsedCondition>>();
  private readonly projections = new Map<string, Parsed<ParsedProjection>>();
  private readonly updates = new Map<string, Parsed<ParsedUpdate>>();

  condition(text: string): Parsed<ParsedCondition> {
    return cached(this.conditions, text, parseConditionText);
  }

  projection(text: string): Parsed<ParsedProjection> {
    return cached(this.projections, text, parseProjectionText);
  }

  update(text: string): Parsed<ParsedUpdate> {
    return cached(this.updates, text, parseUpdateText);
  }
}

function cached<T>(cache: Map<string, Parsed<T>>, text: string, parse: (text: string) => T): Parsed<T> {
  let entry = cache.get(text);
  if (entry === undefined) {
    try {
      entry = { ok: true, value: parse(text) };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      entry = { ok: false, message: error.message };
    }
    if (cache.size >= expressionCacheEntriesMax) cache.delete(cache.keys().next().value as string);
    cache.set(text, entry);
  }
  return entry;
}
