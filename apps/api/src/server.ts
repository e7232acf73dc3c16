import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@notifykit/runtime';
import { buildApp } from './app.ts';
import { createDependencies } from './dependencies.ts';
import { loadApiEnv } from './env.ts';

const env = loadConfigOrExit(() => loadApiEnv(process.env));
const logger = createLogger({ name: 'api', level: env.LOG_LEVEL });
const deps = createDependencies(env, logger);
const app = await buildApp(deps);

handleShutdownSignals({
  logger,
  graceMs: env.SHUTDOWN_GRACE_MS,
  // Stop accepting and drain in-flight requests first, then release Redis and Postgres.
  cleanup: async () => {
    await app.close();
    await deps.close();
  },
});

await app.listen({ host: env.HOST, port: env.PORT });
logger.info({ port: env.PORT }, 'api started');
