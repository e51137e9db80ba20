// Tx over a serialport stream: never blocks, reports the backlog measured from the write callbacks.
import type { SerialPort } from "serialport";
import type { Tx } from "../link/tx";

/**
 * Writes lines to a SerialPort and tracks the bytes handed to it whose write callback has not yet
 * fired (still in the stream's buffer or in the driver's write). When the host stops reading, the
 * pty / tty buffer fills, the callbacks stop and the backlog grows: the link then drops readings.
 * While the port is closed the backlog is reported as infinite (nothing is written).
 */
export class SerialTx implements Tx {
  private port: SerialPort | undefined;
  private pendingBytes = 0;
  /** Bytes whose write completed. */
  writtenBytes = 0;
  /** Write errors (the port vanished mid-write). */
  errors = 0;

  /** Uses `port` from now on (undefined while it is closed). Pending bytes of an old port are forgotten. */
  attach(port: SerialPort | undefined): void {
    this.port = port;
    this.pendingBytes = 0;
  }

  write(line: string): void {
    const port = this.port;
    if (!port || !port.isOpen) return;
    const n = line.length;
    this.pendingBytes += n;
    const self = this;
    port.write(line, "latin1", function (err) {
      if (self.port !== port) return;
      self.pendingBytes -= n;
      if (err) self.errors++;
      else self.writtenBytes += n;
    });
  }

  backlog(): number {
    return this.port && this.port.isOpen ? this.pendingBytes : Infinity;
  }
}
