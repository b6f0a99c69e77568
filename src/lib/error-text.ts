/**
 * The text of a caught value, for messages and logs. Only reformats what the value already
 * carries: an Error's message (or stack), anything else as String() gives it.
 */

/** An Error's message; anything else as String() gives it. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** For logs: an Error's stack (its message when it has none); anything else as String(). */
export function errorDetail(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
