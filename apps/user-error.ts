// Errors meant for the person at the keyboard: printed as one line, no stack trace.

/** An error the user can act on (bad argument, missing file, device not found). `code` is stable. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code = "USAGE",
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** Whether an error should be shown as one line: UserError, or any error carrying a stable string code (SerialLinkError, EADDRINUSE, ...). */
export function isUserFacing(e: unknown): e is Error & { code?: string } {
  return e instanceof UserError || (e instanceof Error && typeof (e as { code?: unknown }).code === "string");
}
