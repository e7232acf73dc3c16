import { type ChildProcess, spawn } from 'node:child_process';

export interface AppProcess {
  readonly child: ChildProcess;
  /** Every stdout/stderr line the process has written so far. */
  readonly lines: readonly string[];
  /** Resolves with the first line (past or future) matching `pattern`; rejects after timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process ends on its own; rejects after timeoutMs. */
  waitForExit(timeoutMs?: number): Promise<number | null>;
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/**
 * Starts one of our apps as a real child process with the current node binary (so end-to-end
 * tests exercise the same entry point the README tells operators to run).
 */
export function startAppProcess(
  entry: string,
  options: { cwd: string; env?: Record<string, string> },
): AppProcess {
  const child = spawn(process.execPath, [entry], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      for (const waiter of waiters) waiter(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  return {
    child,
    lines,
    waitForLine(pattern, timeoutMs = 10_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = (line: string) => {
          if (!pattern.test(line)) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
      });
    },
    waitForExit(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`still running after ${timeoutMs} ms`)),
          timeoutMs,
        );
        void exited.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
