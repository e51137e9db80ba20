// Board wiring and sizes of the Espruino target (edit for your board before `npm run build:device`).
import type { ChannelSpec } from "../link/channel-spec";

/** One thermocouple converter on the SPI bus. */
export interface ChipWiring extends ChannelSpec {
  /** Chip-select pin name, e.g. "B6" (looked up on the board's global scope at boot). */
  cs: string;
}

/**
 * Espruino Pico defaults: SPI1 on B3 (SCK), B4 (MISO), B5 (MOSI); chip selects B6, B7, A8, B10;
 * LED1 (red) as the visual alarm, B13 for an active buzzer, B14 as the generator-interlock permit
 * output. The interlock output is "permit energy" HIGH and goes LOW when the interlock is
 * asserted, so a reset or dead board (pins float or low) stops the generator: fail closed.
 */
export const BOARD = {
  spi: { sck: "B3", miso: "B4", mosi: "B5", baud: 1000000 },
  led: "LED1",
  buzzer: "B13",
  /** 0: active buzzer driven HIGH/LOW; > 0: passive piezo driven with PWM at this frequency (Hz). */
  buzzerFreqHz: 0,
  interlockPermit: "B14",
  deviceId: "TG-PICO-01",
  rateHz: 10,
  /** Watchdog timeout (s): the board resets if JavaScript stops yielding this long. */
  watchdogS: 5,
};

/** The probes of the chip bundle, in channel order. */
export const CHIPS: ChipWiring[] = [
  { label: "canal", role: "nerve", tc: "T", chip: "MAX31855", cs: "B6" },
  { label: "foramen", role: "nerve", tc: "T", chip: "MAX31855", cs: "B7" },
  { label: "ablation zone", role: "ablation", tc: "K", chip: "MAX31856", cs: "A8" },
];

/** Sizes on a small board (PROTOCOL.md section 6: 128 readings on an Espruino Pico). */
export const ESPRUINO_RING = 128;
export const ESPRUINO_ALARM_QUEUE = 16;
export const ESPRUINO_RESEND_PER_TICK = 4;
/** USB CDC drains far faster than this when the host reads; the estimate is deliberately low. */
export const ESPRUINO_DRAIN_BYTES_PER_S = 8000;
/** A USB.write that takes longer than this (ms) met a full transmit ring. */
export const ESPRUINO_BLOCKED_MS = 5;
/**
 * Readings stop above this estimated backlog (bytes); control lines above the hard limit. The
 * firmware's own ring is 255 bytes, but a reading host empties it within milliseconds, so a burst
 * of a few alarm and status lines in one tick must not count as congestion; sustained output
 * beyond the drain estimate, or a write that blocked, does.
 */
export const ESPRUINO_HIGH_WATER = 1024;
export const ESPRUINO_HARD_LIMIT = 4096;
