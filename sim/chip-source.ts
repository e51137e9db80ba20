// Wraps a simulated source so every sample goes through the real chip decoders: temperatures -> SPI words -> device drivers.
import { createMax31855Reading, decodeMax31855, type Max31855Reading } from "../device/drivers/max31855";
import { createMax31856Reading, decodeMax31856, type Max31856Reading } from "../device/drivers/max31856";
import { FAULT_NONE, FAULT_RANGE, type SampleSource } from "../device/source";
import { max31855Word, max31856Bytes } from "./chip-words";
import type { SimSource } from "./sim-source";

/** Die (cold-junction) temperature of the simulated chips, degC: a board in a warm procedure room. */
export const SIM_DIE_C = 25;

/**
 * A SampleSource that asks a SimSource for the probe temperatures and faults, turns each into
 * the raw MAX31855 word or MAX31856 register bytes the scenario's chip would send, and decodes
 * them with the device's own drivers (ITS-90 correction included). So the virtual device runs
 * the same decode path as a board with real chips, faults and quantisation included.
 */
export class ChipSource implements SampleSource {
  readonly channelCount: number;
  /** SPI words / register blocks decoded so far (one per channel-sample). */
  decoded = 0;
  /**
   * Added to the device time before it reaches the simulator. A rebooted device counts from 0
   * again while the patient's tissue does not: the virtual device sets this on every reboot so
   * scenario time carries on.
   */
  timeOffsetMs = 0;
  /** Simulator time of the last read, ms (device time + offset). */
  lastSimMs = -1;
  private readonly t: Float64Array;
  private readonly f: Uint8Array;
  private readonly r55: Max31855Reading = createMax31855Reading();
  private readonly r56: Max31856Reading = createMax31856Reading();

  constructor(private readonly sim: SimSource) {
    this.channelCount = sim.channelCount;
    this.t = new Float64Array(this.channelCount);
    this.f = new Uint8Array(this.channelCount);
  }

  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const simMs = nowMs + this.timeOffsetMs;
    this.lastSimMs = simMs;
    this.sim.read(simMs, this.t, this.f);
    for (let ch = 0; ch < this.channelCount; ch++) {
      const info = this.sim.channels[ch];
      const simFault = this.f[ch];
      const hotC = this.t[ch];
      if (simFault !== FAULT_NONE && !(simFault <= 4)) {
        // No-data and similar are not chip states: pass them through unchanged.
        fault[ch] = simFault;
        tempC[ch] = NaN;
        continue;
      }
      const tc = info.thermocouple;
      try {
        if (info.chip === "MAX31855") {
          decodeMax31855(max31855Word(simFault === FAULT_NONE ? hotC : SIM_DIE_C, SIM_DIE_C, tc, simFault), tc, this.r55);
          fault[ch] = this.r55.fault;
          tempC[ch] = this.r55.tempC;
        } else {
          const bytes = max31856Bytes(simFault === FAULT_NONE ? hotC : SIM_DIE_C, SIM_DIE_C, tc, simFault);
          decodeMax31856(bytes, 0, this.r56);
          fault[ch] = this.r56.fault;
          tempC[ch] = this.r56.tempC;
        }
      } catch {
        // A temperature the chip cannot represent: the chip would flag a range fault.
        fault[ch] = FAULT_RANGE;
        tempC[ch] = NaN;
      }
      this.decoded++;
    }
  }

  onEvent(text: string, nowMs: number): void {
    this.sim.onEvent(text, nowMs + this.timeOffsetMs);
  }
}
