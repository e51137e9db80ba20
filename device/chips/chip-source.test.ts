// The chip source decodes what simulated MAX31855 / MAX31856 chips send (sim/chip-words.ts), one transfer per chip.
import { describe, expect, it } from "vitest";
import { FAULT_NONE, FAULT_OPEN } from "../source";
import { max31855Bytes, max31855Word, max31856Bytes } from "../../sim/chip-words";
import { MAX31856_BATCH_READ_TX } from "../drivers/max31856";
import { ChipSource, MAX31855_SPI_MODE, MAX31856_SPI_MODE } from "./chip-source";

describe("ChipSource", () => {
  it("reads a type T MAX31855 and a type K MAX31856, switching SPI modes on a mixed bus", () => {
    const sent: { data: number[]; cs: unknown }[] = [];
    const modes: number[] = [];
    let openT = false;
    const spi = {
      send(data: ArrayLike<number>, cs: unknown): ArrayLike<number> {
        sent.push({ data: Array.from(data), cs });
        if (cs === "A") return max31855Bytes(max31855Word(45, 25, "T", openT ? FAULT_OPEN : FAULT_NONE));
        const reply = new Uint8Array(7);
        reply.set(max31856Bytes(90, 25, "K"), 1);
        return reply;
      },
      setMode: (m: number) => modes.push(m),
    };
    const src = new ChipSource(spi, [{ chip: "MAX31855", tc: "T", cs: "A" }, { chip: "MAX31856", tc: "K", cs: "B" }]);
    src.init();
    expect(sent[0]).toMatchObject({ cs: "B", data: [0x80, expect.any(Number), 0x03] }); // CR0, CR1 = type K
    const t = new Float64Array(2);
    const f = new Uint8Array(2);
    src.read(0, t, f);
    expect(Math.abs(t[0] - 45)).toBeLessThan(0.2); // ITS-90 corrected, not the chip's ~41 degC
    expect(Math.abs(t[1] - 90)).toBeLessThan(0.05);
    expect([...f]).toEqual([0, 0]);
    expect(sent.at(-1)!.data).toEqual([...MAX31856_BATCH_READ_TX]);
    expect(modes).toEqual([MAX31856_SPI_MODE, MAX31855_SPI_MODE, MAX31856_SPI_MODE]);
    openT = true;
    src.read(100, t, f);
    expect(f[0]).toBe(FAULT_OPEN);
  });
});
