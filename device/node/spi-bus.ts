// Linux spidev access for the chip source through the optional `spi-device` package, loaded only when chips are used.
import type { SpiTransfer } from "../chips/chip-source";
import { MAX31855_SPI_MODE, MAX31856_SPI_MODE } from "../chips/chip-source";

/** The part of the `spi-device` API used here (npm spi-device 3.x). */
export interface SpiDeviceModule {
  openSync(bus: number, device: number, options?: { mode?: number; maxSpeedHz?: number }): SpiDeviceHandle;
  MODE0: number;
  MODE1: number;
}
export interface SpiDeviceHandle {
  transferSync(messages: { sendBuffer: Buffer; receiveBuffer: Buffer; byteLength: number; speedHz?: number }[]): unknown;
  closeSync(): void;
}

/** An error with a stable code: the optional package is missing, or a spidev node cannot be opened. */
export interface SpiError extends Error {
  code: "SPI_UNAVAILABLE" | "SPI_OPEN_FAILED";
}

/**
 * Loads `spi-device` with a dynamic import. It is deliberately not a dependency of the project
 * (native module, Linux only): install it on the single-board computer with `npm install spi-device`.
 */
export async function loadSpiDevice(): Promise<SpiDeviceModule> {
  const name = "spi-device";
  try {
    const m = (await import(name)) as { default?: SpiDeviceModule; openSync?: SpiDeviceModule["openSync"] };
    return (typeof m.openSync === "function" ? m : m.default) as SpiDeviceModule;
  } catch (e) {
    throw Object.assign(new Error("reading SPI chips needs the optional package spi-device: run `npm install spi-device` on the Linux board (" + (e as Error).message + ")"), {
      code: "SPI_UNAVAILABLE" as const,
    });
  }
}

/** One converter on /dev/spidev<bus>.<device>. */
export interface SpiAddress {
  bus: number;
  device: number;
  chip: "MAX31855" | "MAX31856";
}

/**
 * A SpiTransfer over Linux spidev nodes: the chip-select handle the chip source passes is the index
 * of the address in `addrs` (the kernel drives each node's own chip select). Each node is opened
 * with its chip's SPI mode, so setMode is not needed.
 */
export function openSpiTransfer(mod: SpiDeviceModule, addrs: SpiAddress[], speedHz: number): SpiTransfer & { close(): void } {
  const handles: SpiDeviceHandle[] = [];
  for (const a of addrs) {
    try {
      const mode = a.chip === "MAX31856" ? (MAX31856_SPI_MODE === 1 ? mod.MODE1 : mod.MODE0) : MAX31855_SPI_MODE === 0 ? mod.MODE0 : mod.MODE1;
      handles.push(mod.openSync(a.bus, a.device, { mode, maxSpeedHz: speedHz }));
    } catch (e) {
      for (const h of handles) h.closeSync();
      throw Object.assign(new Error(`cannot open /dev/spidev${a.bus}.${a.device}: ${(e as Error).message}`), { code: "SPI_OPEN_FAILED" as const });
    }
  }
  return {
    send(data: ArrayLike<number>, cs: unknown): ArrayLike<number> {
      const tx = Buffer.from(Array.prototype.slice.call(data) as number[]);
      const rx = Buffer.alloc(tx.length);
      handles[cs as number].transferSync([{ sendBuffer: tx, receiveBuffer: rx, byteLength: tx.length, speedHz }]);
      return rx;
    },
    close() {
      for (const h of handles) h.closeSync();
    },
  };
}
