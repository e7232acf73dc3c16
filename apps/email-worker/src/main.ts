import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@notifykit/runtime';
import { startEmailWorker } from './email-worker-app.ts';
import { loadWorkerEnv } from './env.ts';

const env = loadConfigOrExit(() => loadWorkerEnv(process.env));
const logger = createLogger({ name: 'email-worker', level: env.LOG_LEVEL });
const runtime = startEmailWorker(env, logger);

// The runtime waits SHUTDOWN_GRACE_MS (default 30 s) for active sends, then aborts them and records each as
// interrupted; the hard exit comes later so that bookkeeping can finish.
const HARD_EXIT_MARGIN_MS = 10_000;

handleShutdownSignals({
  logger,
  graceMs: env.workerSettings.shutdownGraceMs + HARD_EXIT_MARGIN_MS,
  cleanup: () => runtime.close(),
});

logger.info(
  { transport: env.EMAIL_TRANSPORT, concurrency: env.EMAIL_CONCURRENCY },
  'email-worker started',
);
