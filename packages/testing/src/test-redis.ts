import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createFailFastRedis } from './fail-fast-redis.ts';
import { useFileScoped } from './file-scoped.ts';
import { getTestServices } from './test-services.ts';

/** A Redis namespace owned by one test file. */
export interface TestRedis {
  url: string;
  /** Raw key prefix, colon included (`nktest:<random>:`); every key a test writes must start with it. */
  prefix: string;
  /** The same namespace as BullMQ's `prefix` option, which adds its own `:` separator. */
  bullmqPrefix: string;
  /** A connected client without keyPrefix; build keys with {@link TestRedis.key}. */
  client: Redis;
  /** `prefix + name`. */
  key(name: string): string;
  /** Deletes every key under the prefix and returns how many went. */
  cleanup(): Promise<number>;
  /** Runs cleanup, then closes the client; safe to call twice. */
  close(): Promise<void>;
}

/** Options for {@link createTestRedis} and {@link useTestRedis}. */
export interface TestRedisOptions {
  /** Defaults to the URL from the global setup. */
  redisUrl?: string;
}

/** Escapes Redis glob metacharacters so a prefix matches itself literally in SCAN MATCH. */
export function escapeRedisGlob(value: string): string {
  return value.replace(/[*?[\]\\^-]/g, (char) => `\\${char}`);
}

/**
 * Deletes every key starting with `prefix` using SCAN + UNLINK, so it neither blocks Redis
 * like KEYS would nor touches anyone else's keys on a shared server.
 */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  if (prefix === '') throw new Error('Refusing to delete with an empty prefix.');
  const match = `${escapeRedisGlob(prefix)}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Connects to Redis and reserves a fresh key prefix for the caller. */
export async function createTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const url = options.redisUrl ?? getTestServices().redisUrl;
  const namespace = `nktest:${randomBytes(6).toString('hex')}`;
  const prefix = `${namespace}:`;
  const client = createFailFastRedis(url);
  await client.connect();

  let closed = false;
  const cleanup = (): Promise<number> => deleteKeysWithPrefix(client, prefix);
  return {
    url,
    prefix,
    bullmqPrefix: namespace,
    client,
    key: (name) => `${prefix}${name}`,
    cleanup,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await cleanup();
      } finally {
        client.disconnect();
      }
    },
  };
}

/** Accessors for the Redis namespace of the current test file, valid once beforeAll has run. */
export interface TestRedisHandle {
  readonly url: string;
  readonly prefix: string;
  readonly bullmqPrefix: string;
  readonly client: Redis;
  key(name: string): string;
}

/**
 * Registers beforeAll/afterAll hooks that give the calling test file its own Redis key prefix
 * and delete every key under it when the file is done.
 */
export function useTestRedis(options: TestRedisOptions = {}): TestRedisHandle {
  const current = useFileScoped({
    what: 'The test Redis',
    create: () => createTestRedis(options),
    dispose: (redis) => redis.close(),
    createTimeoutMs: 30_000,
    disposeTimeoutMs: 30_000,
  });

  return {
    get url() {
      return current().url;
    },
    get prefix() {
      return current().prefix;
    },
    get bullmqPrefix() {
      return current().bullmqPrefix;
    },
    get client() {
      return current().client;
    },
    key: (name) => current().key(name),
  };
}
