// What a postgres:// URL names: pg's connection string, plus StratusDB's own parameters, removed
// before pg sees it — `schema` (the schema holding StratusDB's tables, created when missing; several
// databases of StratusDB can share one PostgreSQL database this way) and `pool` (connections per node).
// Several hosts (`postgres://user@primary:5432,standby:5432/db`, as libpq writes them) name the
// servers of a replicated PostgreSQL: StratusDB uses whichever of them is the primary.

export interface PostgresLocation {
  /** One URL per host, as pg connects with it (StratusDB's parameters removed), in the order given. */
  readonly connectionStrings: readonly string[];
  readonly schema: string;
  readonly poolSize: number;
  /** The URL without its password, for logs. */
  readonly description: string;
}

const defaultSchema = 'public';
/** Enough connections that concurrent writes share PostgreSQL's group commit, few enough for several nodes. */
export const defaultPoolSize = 16;
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** Whether a --data URL names a PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** scheme, user info, hosts, the rest (path, query). */
const urlParts = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

export function parsePostgresUrl(url: string): PostgresLocation {
  const parts = urlParts.exec(url);
  const hosts = (parts?.[3] ?? '').split(',');
  let parsed: URL;
  try {
    parsed = new URL(`${parts?.[1] ?? ''}${parts?.[2] ?? ''}${hosts[0] ?? ''}${parts?.[4] ?? ''}`);
    for (const host of hosts.slice(1)) new URL(`postgres://${host}`);
  } catch {
    throw new Error(`unreadable --data URL '${redact(url)}'`);
  }
  if (hosts.some((h) => h === '')) throw new Error(`unreadable --data URL '${redact(url)}': an empty host`);
  const schema = parsed.searchParams.get('schema') ?? defaultSchema;
  if (!schemaPattern.test(schema)) throw new Error(`--data: schema '${schema}' must be lower-case letters, digits and underscores, not starting with a digit`);
  const pool = parsed.searchParams.get('pool');
  const poolSize = pool === null ? defaultPoolSize : Number(pool);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) throw new Error(`--data: pool '${pool ?? ''}' must be a whole number from 1 to 1000`);
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  const connectionStrings = hosts.map((host) => {
    const one = new URL(parsed.toString());
    one.host = host;
    // A host without a port gets PostgreSQL's default, not the first host's.
    if (!/:\d+$/.test(host)) one.port = '';
    return one.toString();
  });
  return { connectionStrings, schema, poolSize, description: redact(url) };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
