// The storage contract on the PostgreSQL adapter, each store in a schema of its own. (What only a store
// several processes share has — nodes, conflicts, announcements — is tested in test/cluster/.)
import { describe } from 'node:test';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { durableAdapter, runStorageContract } from './contract.js';

const postgres = await postgresForSuite();
if (postgres.skip !== false) describe('storage contract: postgres', { skip: postgres.skip }, () => undefined);
else runStorageContract(durableAdapter('postgres', () => freshSchemaUrl(postgres.url), (url) => PostgresStorage.open(url)));
