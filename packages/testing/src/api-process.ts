import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type AppProcess, startAppProcess } from './app-process.ts';

/** A port on 127.0.0.1 that was free when asked (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A response of the API, its JSON body read as the `{ data }` envelope. */
export interface ApiResponse {
  status: number;
  body: { data: Record<string, unknown> };
}

/** What {@link ApiProcess.request} sends: JSON `body`, extra `headers`. */
export interface ApiRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The API running as a child process on 127.0.0.1, listening and ready for requests. */
export interface ApiProcess {
  readonly process: AppProcess;
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The ADMIN_TOKEN the process was started with. */
  readonly adminToken: string;
  /** Sends a JSON request to `path` (GET unless `method` says otherwise). */
  request(path: string, init?: ApiRequestInit): Promise<ApiResponse>;
  /**
   * Creates a customer on `plan` (named after it, with a random email) through
   * POST /admin/v1/customers with the admin token; the response carries its API key.
   */
  createCustomer(plan: string): Promise<ApiResponse>;
  /**
   * Polls GET /api/v1/notifications/jobs/:id with `apiKey` until the job is completed or failed
   * and returns it; throws when it is still neither after `timeoutMs`.
   */
  settledJob(jobId: string, apiKey: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a signal and resolves with the exit code (see {@link AppProcess.stop}). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Options for {@link startApiProcess}. */
export interface StartApiProcessOptions {
  /** The API app's folder (apps/api); it runs `node src/server.ts` there, as operators do. */
  apiDir: string;
  /** The API's environment (database, Redis, keys, …); HOST, PORT and ADMIN_TOKEN are set here. */
  env: Record<string, string>;
  /** How long to wait for the "api started" line. */
  startTimeoutMs?: number;
}

/**
 * Starts the API as a real child process on a free port with a fresh admin token and waits
 * until it listens. The process is killed if it does not start in time.
 */
export async function startApiProcess(options: StartApiProcessOptions): Promise<ApiProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminToken = `admin_${randomBytes(24).toString('hex')}`;
  const child = startAppProcess('src/server.ts', {
    cwd: options.apiDir,
    env: { ...options.env, HOST: '127.0.0.1', PORT: String(port), ADMIN_TOKEN: adminToken },
  });
  try {
    await child.waitForLine(/"msg":"api started"/, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }

  const request = async (path: string, init: ApiRequestInit = {}): Promise<ApiResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json()) as ApiResponse['body'] };
  };

  return {
    process: child,
    baseUrl,
    adminToken,
    request,
    createCustomer: (plan) =>
      request('/admin/v1/customers', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
        body: {
          name: `E2E ${plan} customer`,
          email: `${randomBytes(4).toString('hex')}@e2e.test`,
          plan,
        },
      }),
    async settledJob(jobId, apiKey, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await request(`/api/v1/notifications/jobs/${jobId}`, {
          headers: { 'x-api-key': apiKey },
        });
        if (body.data.status === 'completed' || body.data.status === 'failed') return body.data;
        if (Date.now() > deadline)
          throw new Error(`job ${jobId} still ${String(body.data.status)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: (signal, timeoutMs) => child.stop(signal, timeoutMs),
  };
}
