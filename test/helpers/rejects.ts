// Asserts that a request fails with exactly this exception name and message, and hands back the error
// (for members such as CancellationReasons).
import assert from 'node:assert/strict';

export type ServiceError = Error & { readonly CancellationReasons?: unknown };

export async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<ServiceError> {
  let caught: ServiceError | undefined;
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.message, message);
    caught = error;
    return true;
  });
  return caught as ServiceError;
}
