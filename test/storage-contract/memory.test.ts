// The storage contract on the in-memory reference adapter.
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { runStorageContract } from './contract.js';

runStorageContract({ name: 'memory', open: () => new MemoryStorage() });
