// Shared setup for the send and jobs integration tests; never imported by the app.
import type { JobType } from '@notifykit/core';
import type { Redis } from 'ioredis';
import type { TestApp } from '../../../test/test-app.ts';

/** A valid email request body. */
export const EMAIL_REQUEST = {
  to: 'alice.receiver@example.com',
  subject: 'Your invoice INV-2041',
  body: '<p>Secret body text 7f3a</p>',
} as const;

/** A valid webhook request body. */
export const WEBHOOK_REQUEST = {
  url: 'https://hooks.example.com/notifykit',
  payload: { event: 'user.created', userId: 42 },
} as const;

/** POSTs a send request as the customer owning `apiKey`. */
export function postSend(
  t: TestApp,
  apiKey: string,
  type: JobType,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/notifications/${type}`,
    headers: { 'x-api-key': apiKey, ...headers },
    payload: body as Record<string, unknown>,
  });
}

/** Every key under `prefix` with its value, whatever the Redis type, as one string. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    else value = `<${type}>`;
    parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return parts.join('\n');
}
