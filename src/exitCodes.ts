/** Exit statuses, as documented in the README. */
export const EXIT = {
  ok: 0,
  /** The run (or part of it: a source that could not be read, an unknown code) failed. */
  failed: 1,
  /** Bad command line, unknown report, bad parameter, SQL error. */
  usage: 2,
  /** `nightly`: a threshold was breached. */
  breach: 3,
} as const;

/** A mistake in what the user asked for: reported without a stack trace, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
