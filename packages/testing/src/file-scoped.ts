import { afterAll, beforeAll } from 'vitest';

/** Options for {@link useFileScoped}. */
export interface FileScopedOptions<T> {
  /** Names the resource in the error for use outside tests, e.g. "The test database". */
  what: string;
  create: () => Promise<T>;
  dispose: (resource: T) => Promise<unknown>;
  /** Hook timeouts; vitest's defaults when absent. */
  createTimeoutMs?: number;
  disposeTimeoutMs?: number;
}

/**
 * Registers beforeAll/afterAll hooks that create a resource for the calling test file and
 * dispose of it when the file is done. Returns its accessor, which throws outside tests and hooks.
 */
export function useFileScoped<T>(options: FileScopedOptions<T>): () => T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await options.create();
  }, options.createTimeoutMs);
  afterAll(async () => {
    if (resource !== undefined) await options.dispose(resource);
  }, options.disposeTimeoutMs);
  return () => {
    if (resource === undefined) {
      throw new Error(`${options.what} is only available inside tests and hooks.`);
    }
    return resource;
  };
}
