// Serial link errors with stable codes and a sentence a person can act on.

/** Stable codes of serial link errors (tests and the CLI key on them). */
export type SerialErrorCode =
  | "NO_PORT" // auto-detect found no candidate port
  | "PORT_NOT_FOUND" // the given path does not exist
  | "PERMISSION_DENIED" // EACCES opening the port
  | "PORT_BUSY" // another program holds the port (lock / EBUSY)
  | "WRONG_DEVICE" // the port opened but nothing answered HELLO with HI in time
  | "VERSION_MISMATCH" // the device speaks another protocol major version
  | "OPEN_FAILED" // any other failure to open
  | "PORT_CLOSED" // the port went away (unplugged)
  | "LINK_SILENT"; // the port is open but no valid line arrived for the watchdog time

/** An error of the serial link, carrying a stable `code` and the port path. */
export class SerialLinkError extends Error {
  constructor(
    readonly code: SerialErrorCode,
    message: string,
    readonly port: string | null = null,
  ) {
    super(message);
    this.name = "SerialLinkError";
  }
}

/** Maps an error from opening `path` (serialport / libc message or errno code) to a SerialLinkError. */
export function classifyOpenError(err: unknown, path: string): SerialLinkError {
  const e = err as { message?: string; code?: string } | null;
  const text = (e?.message ?? String(err)) + " " + (e?.code ?? "");
  if (/ENOENT|No such file/i.test(text)) {
    return new SerialLinkError("PORT_NOT_FOUND", `serial port ${path} does not exist: is the device plugged in? (list ports with --port auto)`, path);
  }
  if (/EACCES|Permission denied/i.test(text)) {
    return new SerialLinkError(
      "PERMISSION_DENIED",
      `permission denied opening ${path}: add your user to the dialout group (sudo usermod -aG dialout $USER) and log in again`,
      path,
    );
  }
  if (/EBUSY|Cannot lock port|Resource temporarily unavailable|Resource busy/i.test(text)) {
    return new SerialLinkError("PORT_BUSY", `serial port ${path} is busy: another program (a serial monitor, another bridge) has it open`, path);
  }
  return new SerialLinkError("OPEN_FAILED", `cannot open serial port ${path}: ${e?.message ?? String(err)}`, path);
}
