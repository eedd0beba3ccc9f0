// What a postgres:// URL names: pg's connection string, plus StratusDB's own parameters, removed
// before pg sees it — `schema` (the schema holding StratusDB's tables, created when missing; several
// databases of StratusDB can share one PostgreSQL database this way) and `pool` (connections per node).

export interface PostgresLocation {
  /** The URL pg connects with (StratusDB's parameters removed). */
  readonly connectionString: string;
  readonly schema: string;
  readonly poolSize: number;
  /** The URL without its password, for logs. */
  readonly description: string;
}

const defaultSchema = 'public';
/** Enough connections that concurrent writes share PostgreSQL's group commit, few enough for several nodes. */
export const defaultPoolSize = 16;
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

export function parsePostgresUrl(url: string): PostgresLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`unreadable --data URL '${redact(url)}'`);
  }
  const schema = parsed.searchParams.get('schema') ?? defaultSchema;
  if (!schemaPattern.test(schema)) throw new Error(`--data: schema '${schema}' must be lower-case letters, digits and underscores, not starting with a digit`);
  const pool = parsed.searchParams.get('pool');
  const poolSize = pool === null ? defaultPoolSize : Number(pool);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) throw new Error(`--data: pool '${pool ?? ''}' must be a whole number from 1 to 1000`);
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  const connectionString = parsed.toString();
  return { connectionString, schema, poolSize, description: redact(url) };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
