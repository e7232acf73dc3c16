import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_STATUSES,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_PRIORITY,
  isJobStatus,
  isJobType,
  isPriority,
  JOB_STATUSES,
  JOB_TYPES,
  PRIORITIES,
} from './job-model.ts';

describe('job model constants', () => {
  it('match the contract', () => {
    expect(JOB_TYPES).toEqual(['email', 'webhook']);
    expect(JOB_STATUSES).toEqual(['pending', 'processing', 'completed', 'failed']);
    expect(PRIORITIES).toEqual([1, 5, 10]);
    expect(DEFAULT_PRIORITY).toBe(5);
    expect(ATTEMPT_STATUSES).toEqual(['success', 'failed']);
    expect(DEFAULT_MAX_ATTEMPTS).toBe(3);
  });
});

describe('isPriority', () => {
  it.each([1, 5, 10])('accepts %d', (n) => {
    expect(isPriority(n)).toBe(true);
  });

  it.each([0, 2, 4, 6, 9, 11, -1, 1.5, 5.000001, Number.NaN, '5', '1', null, undefined, [5]])(
    'rejects %s',
    (value) => {
      expect(isPriority(value)).toBe(false);
    },
  );
});

describe('isJobType / isJobStatus', () => {
  it('accept exactly the known values', () => {
    expect(JOB_TYPES.every(isJobType)).toBe(true);
    expect(JOB_STATUSES.every(isJobStatus)).toBe(true);
    for (const bad of ['Email', 'sms', '', 'done', 'PENDING', null, 1]) {
      expect(isJobType(bad)).toBe(false);
      expect(isJobStatus(bad)).toBe(false);
    }
  });
});
