import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { handleShutdownSignals } from './shutdown.ts';

const logger = createLogger({
  name: 'test',
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

function setup(cleanup: () => Promise<void>, graceMs = 1000) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  handleShutdownSignals({
    logger,
    graceMs,
    cleanup,
    exit: (code) => exits.push(code),
    signals: signals as unknown as Pick<NodeJS.Process, 'once'>,
  });
  return { signals, exits };
}

describe('handleShutdownSignals', () => {
  it('runs cleanup once on SIGTERM and exits 0', async () => {
    let calls = 0;
    const { signals, exits } = setup(async () => {
      calls++;
    });
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when cleanup throws', async () => {
    const { signals, exits } = setup(async () => {
      throw new Error('boom');
    });
    signals.emit('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(exits).toEqual([1]);
  });

  it('exits 1 when cleanup outlives the grace period', async () => {
    const { signals, exits } = setup(() => new Promise(() => {}), 20);
    signals.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(exits).toEqual([1]);
  });
});
