import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  /** How long the cleanup may take before the process exits with code 1. */
  graceMs: number;
  /** Releases everything the app holds, in the app's documented order. */
  cleanup: () => Promise<void>;
  /** Injected for tests; defaults to process.exit. */
  exit?: (code: number) => void;
  /** Process-like event source; defaults to the real process. */
  signals?: Pick<NodeJS.Process, 'once'>;
}

/**
 * Runs `cleanup` once on the first SIGTERM or SIGINT, then exits 0; exits 1 if cleanup throws
 * or outlives the grace period, so an orchestrator never waits on a wedged process.
 * Returns a function that triggers the same path programmatically.
 */
export function handleShutdownSignals(options: ShutdownOptions): (reason: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? process;
  let started: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    if (started) return started;
    options.logger.info({ reason, graceMs: options.graceMs }, 'shutting down');
    const timer = setTimeout(() => {
      options.logger.error({ graceMs: options.graceMs }, 'shutdown grace period exceeded');
      exit(1);
    }, options.graceMs);
    timer.unref();
    started = options.cleanup().then(
      () => {
        clearTimeout(timer);
        options.logger.info('shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
    return started;
  };

  signals.once('SIGTERM', () => void shutdown('SIGTERM'));
  signals.once('SIGINT', () => void shutdown('SIGINT'));
  return shutdown;
}
