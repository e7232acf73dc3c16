/** Exit codes of `notifykit-admin`, so scripts can tell a typo from a failed operation. */
export const EXIT = {
  ok: 0,
  /** The operation failed: unknown customer or key, database unreachable, bad configuration. */
  failed: 1,
  /** The command line itself is wrong: unknown command or option, missing or invalid value. */
  usage: 2,
} as const;

/** A mistake in the command line; printed with a pointer to the command's usage. */
export class UsageError extends Error {
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
