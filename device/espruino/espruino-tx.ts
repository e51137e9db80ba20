// Tx on Espruino's USB serial: estimated backlog (no firmware API exposes the TX buffer), blocking writes detected.
import type { Tx } from "../link/tx";
import type { EspruinoSerial } from "./espruino-api";

/**
 * Espruino offers no way to read how full its transmit buffer is, and `USB.write` blocks (busy
 * waits) when that 256-byte ring is full (espruino.md; src/jsdevices.c jshTransmit). So the
 * backlog is estimated: bytes written minus what the link can drain at `drainBytesPerS` since,
 * and a write that itself took longer than `blockedMs` proves the host is not keeping up: the
 * estimate is then raised to `congestedBytes` so that readings stop until it drains again.
 * With no USB host the firmware discards writes without blocking, so nothing special is done then
 * (`USB.isConnected()` is not consulted: it reads false on the Linux build used for off-board tests).
 *
 * Residual risk (reported, not solvable from JavaScript): a host that opens the port and never
 * reads lets the first write that meets a full ring block until the watchdog resets the board.
 */
export class EspruinoTx implements Tx {
  private readonly port: EspruinoSerial;
  private readonly clockS: () => number;
  private readonly drainBytesPerS: number;
  private readonly blockedMs: number;
  private readonly congestedBytes: number;
  private estimate = 0;
  private lastS = 0;
  /** Writes that blocked (host not reading fast enough). */
  blocked = 0;

  constructor(port: EspruinoSerial, clockS: () => number, drainBytesPerS: number, blockedMs: number, congestedBytes: number) {
    this.port = port;
    this.clockS = clockS;
    this.drainBytesPerS = drainBytesPerS;
    this.blockedMs = blockedMs;
    this.congestedBytes = congestedBytes;
  }

  private drain(): void {
    const now = this.clockS();
    this.estimate -= (now - this.lastS) * this.drainBytesPerS;
    if (this.estimate < 0) this.estimate = 0;
    this.lastS = now;
  }

  write(line: string): void {
    this.drain();
    const t0 = this.clockS();
    this.port.write(line);
    const tookMs = (this.clockS() - t0) * 1000;
    this.estimate += line.length;
    if (tookMs > this.blockedMs) {
      this.blocked++;
      if (this.estimate < this.congestedBytes) this.estimate = this.congestedBytes;
    }
  }

  backlog(): number {
    this.drain();
    return this.estimate;
  }
}
