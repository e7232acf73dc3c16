import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object. Secrets, API keys,
 * auth headers and email bodies must never reach logs (house rule), so anything that could
 * carry one is listed even when today's code does not log it.
 */
export const REDACTED_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'body',
  '*.body',
  'html',
  '*.html',
  'text',
  '*.text',
  'to',
  '*.to',
  'from',
  '*.from',
  'subject',
  '*.subject',
  'payload',
  '*.payload',
  'err.options',
  'err.request',
  'err.response',
  'err.config',
];

export interface LoggerConfig {
  /** Service name stamped on every line (`service` field). */
  name: string;
  level: string;
  /** Where lines go; defaults to stdout. Tests pass a capture stream. */
  destination?: pino.DestinationStream;
}

/** The one way apps build a logger: JSON lines, ISO timestamps, redaction always on. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: config.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
