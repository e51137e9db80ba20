// Espruino entry with real probes: MAX31855 / MAX31856 chips on SPI1 as wired in board-config.ts.
import type { EspruinoSpi, Pin } from "./espruino-api";
import { BOARD, CHIPS } from "./board-config";
import { ChipSource } from "../chips/chip-source";
import { runOnEspruino } from "./espruino-shell";

declare const global: { [name: string]: unknown };

function pin(name: string): Pin | undefined {
  return global[name];
}

const spi = global["SPI1"] as EspruinoSpi;
const setupSpi = function (mode: number): void {
  spi.setup({ sck: pin(BOARD.spi.sck), miso: pin(BOARD.spi.miso), mosi: pin(BOARD.spi.mosi), baud: BOARD.spi.baud, mode: mode });
};
setupSpi(0);
const chans = [];
for (let i = 0; i < CHIPS.length; i++) chans.push({ chip: CHIPS[i].chip as "MAX31855", tc: CHIPS[i].tc as "T", cs: pin(CHIPS[i].cs) });
const source = new ChipSource({ send: function (d, cs) { return spi.send(d, cs); }, setMode: setupSpi }, chans);
source.init();
runOnEspruino({ source: source, channels: CHIPS, deviceId: BOARD.deviceId, rateHz: BOARD.rateHz, pin: pin });
