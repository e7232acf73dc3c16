import type { JobStatus } from './job-model.ts';

// The whole lifecycle of CONTRACT §4. failed → pending is reachable only through the manual
// retry endpoint; the machine cannot know who asks, so callers enforce that part.
const NEXT_STATUSES: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  pending: ['processing'],
  processing: ['completed', 'pending', 'failed'],
  completed: [],
  failed: ['pending'],
};

/** Raised when code tries to move a job along a transition the contract does not allow. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  /** Status the job was in. */
  readonly from: string;
  /** Status that was asked for. */
  readonly to: string;

  constructor(from: string, to: string) {
    super(`Illegal job status transition: ${from} → ${to}`);
    this.from = from;
    this.to = to;
  }
}

/** True when a job in `from` may move to `to`; self-transitions and unknown statuses are false. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  if (!Object.hasOwn(NEXT_STATUSES, from)) return false;
  return NEXT_STATUSES[from].includes(to);
}

/** Throws {@link IllegalTransitionError} unless `from → to` is a legal transition. */
export function assertTransition(from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** Statuses reachable from `from` in one step, for callers building conditional updates. */
export function nextStatuses(from: JobStatus): readonly JobStatus[] {
  return Object.hasOwn(NEXT_STATUSES, from) ? NEXT_STATUSES[from] : [];
}
