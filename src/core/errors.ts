// A small family of errors: the user can fix it (with a hint), or it is a bug.

/** Something the person can fix: bad input, a missing file, a newer database. */
export class UserError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function formatError(e: unknown): string {
  if (e instanceof UserError) return `error: ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}`;
  const err = e as Error;
  return `internal error (please report it): ${err?.stack ?? String(e)}`;
}
