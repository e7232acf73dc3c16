import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines stamped with the service name', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'api', level: 'info', destination }).info({ jobId: 'job_1' }, 'hello');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ service: 'api', msg: 'hello', jobId: 'job_1' });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('redacts keys, auth headers and message contents', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'api', level: 'info', destination });
    logger.info({
      apiKey: 'SG.canary-key',
      req: { headers: { authorization: 'Bearer nh_canary', 'x-api-key': 'nh_canary2' } },
      email: { to: 'canary@example.com', subject: 'canary subject', body: '<p>canary</p>' },
    });
    const text = lines.join('');
    expect(text).not.toContain('canary');
    expect(text).toContain('[redacted]');
  });
});
