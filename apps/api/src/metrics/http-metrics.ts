import { Counter, Histogram, type Registry } from 'prom-client';

/** Route label of requests that matched no route (404s, 405s, malformed URLs). */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records HTTP requests; one instance per app registry. */
export interface HttpMetrics {
  /** `route` is the route pattern (`/jobs/:jobId`), never the raw URL. */
  observe(method: string, route: string | undefined, statusCode: number, seconds: number): void;
}

/**
 * Request count and latency by method, route pattern and status. Labels are bounded on
 * purpose: raw URLs carry job ids and would create a series per job.
 */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'notifykit_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'notifykit_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, in seconds',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe(method, route, statusCode, seconds) {
      const labels = {
        method: KNOWN_METHODS.has(method) ? method : 'OTHER',
        route: route ?? UNMATCHED_ROUTE,
        status_code: String(statusCode),
      };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
