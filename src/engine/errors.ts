// Errors that end a run with exit code 2 and a one-line message (no stack trace unless --debug).

/** Bad arguments, an invalid config, or input that makes the whole run impossible. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
