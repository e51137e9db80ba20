// Opens a serial port by path, mapping failures to coded SerialLinkErrors.
import { SerialPort } from "serialport";
import { classifyOpenError } from "./serial-errors";

/** Default baud rate (PROTOCOL.md: 115200 8N1; USB CDC ignores it). */
export const DEFAULT_BAUD = 115200;

/** Opens `path` exclusively (lock), resolving with the open port or rejecting with a SerialLinkError. */
export function openPort(path: string, baudRate = DEFAULT_BAUD): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    let port: SerialPort;
    try {
      port = new SerialPort({ path: path, baudRate: baudRate, autoOpen: false, lock: true });
    } catch (e) {
      reject(classifyOpenError(e, path));
      return;
    }
    port.open((err) => (err ? reject(classifyOpenError(err, path)) : resolve(port)));
  });
}

/** Closes a port, ignoring "not open" (it may have vanished already). */
export function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}
