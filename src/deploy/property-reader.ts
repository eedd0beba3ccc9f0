// Reading a resource's evaluated properties as CloudFormation does: numbers and booleans may be
// written as strings ("5", "true"), a property not in the type's list is refused, and every problem
// names the file, the resource and the property.
import { refuse, type Where } from './deploy-error.js';

export class Properties {
  constructor(
    readonly where: Where,
    private readonly values: Readonly<Record<string, unknown>>,
    /** The property path these are under (for nested structures), '' at the top. */
    private readonly at = '',
  ) {}

  /** Refuses any property not in `known`. */
  only(known: readonly string[]): this {
    for (const key of Object.keys(this.values)) if (!known.includes(key)) throw this.fail(key, `not a property of ${this.where.type ?? 'this resource'} that stratusdb deploy knows`);
    return this;
  }

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  path(name: string): string {
    return this.at === '' ? name : `${this.at}.${name}`;
  }

  fail(name: string, message: string): Error {
    return refuse(this.where, this.path(name), message);
  }

  /** Every property as given. */
  entries(): Readonly<Record<string, unknown>> {
    return this.values;
  }

  raw(name: string): unknown {
    return this.values[name];
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') throw this.fail(name, 'must be a string');
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw this.fail(name, 'is required');
    return value;
  }

  number(name: string): number | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw this.fail(name, `must be a number (got ${JSON.stringify(value)})`);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (value === true || value === 'true' || value === 'True') return true;
    if (value === false || value === 'false' || value === 'False') return false;
    throw this.fail(name, `must be true or false (got ${JSON.stringify(value)})`);
  }

  /** A nested structure's properties. */
  object(name: string): Properties | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.fail(name, 'must be a map');
    return new Properties(this.where, value as Record<string, unknown>, this.path(name));
  }

  /** A list of structures, each as properties. */
  objects(name: string): Properties[] | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.fail(name, 'must be a list');
    return value.map((v, i) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.fail(`${name}[${i}]`, 'must be a map');
      return new Properties(this.where, v as Record<string, unknown>, this.path(`${name}[${i}]`));
    });
  }

  strings(name: string): string[] | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw this.fail(name, 'must be a list of strings');
    return value as string[];
  }
}
