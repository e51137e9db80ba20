// Description of one channel as announced in CH lines (label, role, thermocouple type, converter chip).

/** One channel of the device, in channel order. */
export interface ChannelSpec {
  /** Where the probe is, e.g. "canal", "foramen-L" (1-16 printable chars, no `$ , * \`). */
  label: string;
  /** nerve: limits and doses apply; ablation: ablation-zone probe, shown only; reference. */
  role: "nerve" | "ablation" | "reference";
  /** Thermocouple type (SIM = simulated). */
  tc: "K" | "T" | "SIM";
  /** Converter chip (SIM = simulated). */
  chip: "MAX31855" | "MAX31856" | "SIM";
}
