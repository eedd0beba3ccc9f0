// `stratusdb migrate --data postgres://…`: brings the database's schema to this version (the numbered
// migrations it lacks, in one transaction) and exits. A node does the same when it starts; this lets an
// operator do it first, separately. An embedded store (lmdb://, memory://) has nothing to migrate.
import { isPostgresUrl } from '../storage/postgres/connection-url.js';
import { migrations } from '../storage/postgres/migrations.js';

export async function migrateStore(data: string, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  if (!isPostgresUrl(data)) {
    err(`stratusdb migrate: ${data} needs no migration (only postgres:// stores have a schema to migrate)\n`);
    return 2;
  }
  const { PostgresStorage } = await import('../storage/postgres/postgres-storage.js');
  try {
    const storage = await PostgresStorage.open(data);
    const applied = storage.migrated;
    await storage.close();
    const newest = migrations.at(-1)?.version ?? 0;
    out(applied.length === 0 ? `schema already at version ${newest}\n` : `applied migration${applied.length === 1 ? '' : 's'} ${applied.join(', ')}: schema at version ${newest}\n`);
    return 0;
  } catch (error) {
    err(`stratusdb migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
