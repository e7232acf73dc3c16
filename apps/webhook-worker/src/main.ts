import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@notifykit/runtime';
import { loadWorkerEnv } from './env.ts';
import { startWebhookWorker } from './webhook-worker.ts';

// Past the grace period the runtime aborts active deliveries and still has to record them and
// close its connections; only if that also hangs does the process exit 1.
const CLOSE_MARGIN_MS = 10_000;

const config = loadConfigOrExit(() => loadWorkerEnv(process.env));
const { env, settings } = config;
const logger = createLogger({ name: 'webhook-worker', level: env.LOG_LEVEL });
const runtime = startWebhookWorker(config, logger);

handleShutdownSignals({
  logger,
  graceMs: settings.shutdownGraceMs + CLOSE_MARGIN_MS,
  cleanup: () => runtime.close(),
});

if (env.WEBHOOK_ALLOW_PRIVATE) {
  logger.warn('WEBHOOK_ALLOW_PRIVATE is on: webhooks may reach internal and loopback addresses');
}
logger.info(
  {
    concurrency: settings.concurrency,
    allowHttp: env.WEBHOOK_ALLOW_HTTP,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    allowList: !config.allowedDestinations.isEmpty,
  },
  'webhook-worker started',
);
