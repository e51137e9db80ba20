// Maps failures to open a serial port to coded SerialLinkErrors.
import { SerialLinkError } from "../domain/link-error";

export { SerialLinkError, type SerialErrorCode } from "../domain/link-error";

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
