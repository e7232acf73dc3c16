import { describe, expect, it } from 'vitest';
import { createFailFastRedis } from './fail-fast-redis.ts';
import { createTestRedis, escapeRedisGlob, useTestRedis } from './test-redis.ts';
import { getTestServices } from './test-services.ts';

describe('useTestRedis', () => {
  const redis = useTestRedis();

  it('gives the file a connected client and a private prefix', async () => {
    expect(redis.prefix).toMatch(/^nktest:[0-9a-f]{12}:$/);
    expect(redis.bullmqPrefix).toBe(redis.prefix.slice(0, -1));
    await redis.client.set(redis.key('greeting'), 'hello');
    expect(await redis.client.get(redis.key('greeting'))).toBe('hello');
  });
});

describe('createTestRedis', () => {
  it('removes every key under its prefix and nothing else', async () => {
    const mine = await createTestRedis();
    const neighbour = await createTestRedis();
    try {
      const many = Array.from({ length: 2_500 }, (_, i) => [mine.key(`k:${i}`), String(i)]);
      await mine.client.mset(...many.flat());
      await mine.client.hset(`${mine.bullmqPrefix}:emails:meta`, 'paused', '0');
      await neighbour.client.set(neighbour.key('keep'), 'yes');
      // Shares the textual start of the prefix but not the trailing separator.
      const lookalike = `${mine.prefix.slice(0, -1)}x:keep`;
      await neighbour.client.set(lookalike, 'yes');

      expect(await mine.cleanup()).toBe(2_501);
      expect(await mine.client.exists(mine.key('k:0'), mine.key('k:2499'))).toBe(0);
      expect(await neighbour.client.get(neighbour.key('keep'))).toBe('yes');
      expect(await neighbour.client.get(lookalike)).toBe('yes');
      await neighbour.client.del(lookalike);
    } finally {
      await mine.close();
      await neighbour.close();
    }
    const check = createFailFastRedis(getTestServices().redisUrl);
    await check.connect();
    try {
      expect(await check.exists(neighbour.key('keep'))).toBe(0);
    } finally {
      check.disconnect();
    }
  });

  it('escapes glob metacharacters in prefixes', () => {
    expect(escapeRedisGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });
});
