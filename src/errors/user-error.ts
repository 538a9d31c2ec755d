/**
 * An error caused by the user's input or environment (bad flag, malformed file, port in use).
 * The CLI prints its message alone, without a stack trace, and exits 3.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
