// Opens a serial port by path through a binding (the native one by default, a mock in tests), mapping failures to coded SerialLinkErrors.
import { SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import { classifyOpenError } from "./serial-errors";

/** Default baud rate (PROTOCOL.md: 115200 8N1; USB CDC ignores it). */
export const DEFAULT_BAUD = 115200;

/** A serialport binding: how the stream reaches the hardware (native, or MockBinding in tests). */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]["binding"];

/** An open port as the link uses it: serialport's stream over any binding. */
export type OpenedPort = SerialPortStream;

/**
 * Opens `path` exclusively (lock), resolving with the open port or rejecting with a SerialLinkError.
 * `binding`: serialport's native binding when absent; tests pass @serialport/binding-mock's MockBinding.
 */
export function openPort(path: string, baudRate = DEFAULT_BAUD, binding?: SerialBinding): Promise<OpenedPort> {
  return new Promise((resolve, reject) => {
    let port: OpenedPort;
    try {
      port = binding ? new SerialPortStream({ binding: binding, path: path, baudRate: baudRate, autoOpen: false }) : new SerialPort({ path: path, baudRate: baudRate, autoOpen: false, lock: true });
    } catch (e) {
      reject(classifyOpenError(e, path));
      return;
    }
    port.open((err) => (err ? reject(classifyOpenError(err, path)) : resolve(port)));
  });
}

/** Closes a port, ignoring "not open" (it may have vanished already). */
export function closePort(port: OpenedPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}
