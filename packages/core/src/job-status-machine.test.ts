import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus } from './job-model.ts';
import {
  assertTransition,
  canTransition,
  IllegalTransitionError,
  nextStatuses,
} from './job-status-machine.ts';

const LEGAL = new Set([
  'pending→processing',
  'processing→completed',
  'processing→pending',
  'processing→failed',
  'failed→pending',
]);

const ALL_PAIRS = JOB_STATUSES.flatMap((from) =>
  JOB_STATUSES.map((to) => [from, to, LEGAL.has(`${from}→${to}`)] as const),
);

describe('job status machine', () => {
  it('has 16 pairs, 5 of them legal', () => {
    expect(ALL_PAIRS).toHaveLength(16);
    expect(ALL_PAIRS.filter(([, , legal]) => legal)).toHaveLength(5);
  });

  it.each(ALL_PAIRS)('%s → %s legal: %s', (from, to, legal) => {
    expect(canTransition(from, to)).toBe(legal);
    if (legal) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
    }
  });

  it('refuses every self-transition', () => {
    for (const status of JOB_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('treats completed as terminal', () => {
    expect(nextStatuses('completed')).toEqual([]);
  });

  it('lists the next statuses of each state', () => {
    expect(nextStatuses('pending')).toEqual(['processing']);
    expect([...nextStatuses('processing')].sort()).toEqual(['completed', 'failed', 'pending']);
    expect(nextStatuses('failed')).toEqual(['pending']);
  });

  it('refuses unknown statuses instead of crashing', () => {
    const bogus = 'archived' as JobStatus;
    const proto = 'toString' as JobStatus;
    expect(canTransition(bogus, 'pending')).toBe(false);
    expect(canTransition('pending', bogus)).toBe(false);
    expect(canTransition(proto, 'pending')).toBe(false);
    expect(nextStatuses(proto)).toEqual([]);
    expect(() => assertTransition(bogus, 'pending')).toThrow(IllegalTransitionError);
  });

  it('describes the refused transition in the error', () => {
    let caught: unknown;
    try {
      assertTransition('completed', 'pending');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as IllegalTransitionError;
    expect(error.name).toBe('IllegalTransitionError');
    expect(error.from).toBe('completed');
    expect(error.to).toBe('pending');
    expect(error.message).toBe('Illegal job status transition: completed → pending');
  });
});
