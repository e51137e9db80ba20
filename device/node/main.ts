// CLI of the Node device: `node --import tsx device/node/main.ts --port /dev/ttyGS0 --source sim|chips ...` (see --help).
import { ChipSource } from "../chips/chip-source";
import { SyntheticSource } from "../synthetic/synthetic-source";
import type { SampleSource } from "../source";
import { parseCli, USAGE } from "./cli-options";
import { startNodeDevice } from "./node-device";
import { loadSpiDevice, openSpiTransfer } from "./spi-bus";

function fail(msg: string, code: number): never {
  process.stderr.write(`thermoguard-device: ${msg}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const r = parseCli(process.argv.slice(2));
  if (!r.ok) {
    if (r.error === USAGE) {
      process.stdout.write(USAGE + "\n");
      return;
    }
    fail(`${r.error} (--help for usage)`, 2);
  }
  const o = r.options;
  let source: SampleSource;
  let close = () => {};
  if (o.source === "chips") {
    const bus = openSpiTransfer(await loadSpiDevice(), o.spi, o.spiHz);
    const chips = new ChipSource(bus, o.channels.map((c, i) => ({ chip: c.chip as "MAX31855", tc: c.tc as "T", cs: i })));
    chips.init();
    source = chips;
    close = () => bus.close();
  } else source = new SyntheticSource(o.channels.map((c) => c.role));
  const dev = await startNodeDevice({
    portPath: o.port, baudRate: o.baudRate, source, channels: o.channels, rateHz: o.rateHz, deviceId: o.deviceId, statePath: o.statePath,
    timeScale: o.timeScale, log: (m) => process.stderr.write(`thermoguard-device: ${m}\n`),
  });
  const stop = async () => {
    await dev.stop();
    close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e: Error & { code?: string }) => fail(e.message + (e.code ? ` [${e.code}]` : ""), 1));
