import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@notifykit/runtime';
import { buildApp } from './app.ts';
import { loadApiEnv } from './env.ts';

const env = loadConfigOrExit(() => loadApiEnv(process.env));
const logger = createLogger({ name: 'api', level: env.LOG_LEVEL });
const app = await buildApp({ logger });

handleShutdownSignals({
  logger,
  graceMs: env.SHUTDOWN_GRACE_MS,
  // Fastify's close stops accepting connections and waits for in-flight requests (drain).
  cleanup: () => app.close(),
});

await app.listen({ host: env.HOST, port: env.PORT });
logger.info({ port: env.PORT }, 'api started');
