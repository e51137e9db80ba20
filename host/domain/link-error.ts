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

