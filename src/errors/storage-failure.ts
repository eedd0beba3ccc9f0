// A failure of the store itself, thrown by storage adapters and told apart from bugs by the pipeline.

/**
 * The store could not take a write (disk full, I/O error) or could not read what it holds: nothing
 * of the write was stored. Answered as DynamoDB's InternalServerError, and logged.
 */
export class StorageFailure extends Error {
  override readonly name = 'StorageFailure';
}
