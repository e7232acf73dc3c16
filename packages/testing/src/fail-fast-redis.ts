import { Redis } from 'ioredis';

/**
 * An ioredis client that gives up quickly instead of queueing commands and reconnecting
 * forever, so a missing Redis turns into an error within seconds rather than a hung test.
 */
export function createFailFastRedis(url: string, connectTimeoutMs = 3_000): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // A couple of quick reconnects ride out a blip; after that the client stays closed.
    retryStrategy: (times) => (times > 2 ? null : 100 * times),
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  client.on('error', () => {});
  return client;
}
