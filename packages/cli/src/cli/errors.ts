/** Exit codes that mean something to a script (documented in docs/cli.md). */
export const EXIT = {
  OK: 0,
  /** The command ran and the answer is "no": a check failed, a confirmation was declined, the API refused. */
  FAILURE: 1,
  /** Bad command line: unknown option, missing argument, bad value. */
  USAGE: 2,
  /** Ingest could not be reached. */
  UNREACHABLE: 3,
  /** Ingest refused the token. */
  AUTH: 4,
  /** No such session. */
  NOT_FOUND: 5,
} as const;

/** An error meant for the user: printed as one line, never as a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILURE,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}
