import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@notifykit/runtime';
import { loadWorkerEnv } from './env.ts';

const env = loadConfigOrExit(() => loadWorkerEnv(process.env));
const logger = createLogger({ name: 'email-worker', level: env.LOG_LEVEL });

// Skeleton: the queue consumer arrives with its delivery issue. Until then the process only
// proves the lifecycle every worker must honour: start, log, and leave cleanly on SIGTERM.
const keepAlive = setInterval(() => {}, 60_000);

handleShutdownSignals({
  logger,
  graceMs: env.SHUTDOWN_GRACE_MS,
  cleanup: async () => {
    clearInterval(keepAlive);
  },
});

logger.info('email-worker started');
