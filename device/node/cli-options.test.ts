// CLI options: defaults, channel lists for the synthetic source and for spidev chips, one-line errors.
import { describe, expect, it } from "vitest";
import { parseCli } from "./cli-options";

describe("parseCli", () => {
  it("defaults to the synthetic source with four channels at 10 Hz", () => {
    const r = parseCli(["--port", "/dev/ttyGS0"]);
    expect(r).toMatchObject({ ok: true, options: { port: "/dev/ttyGS0", source: "sim", rateHz: 10, timeScale: 1, baudRate: 115200, deviceId: "TG-NODE" } });
    if (r.ok) expect(r.options.channels.map((c) => c.role)).toEqual(["nerve", "nerve", "ablation", "reference"]);
  });

  it("parses chips on spidev nodes", () => {
    const r = parseCli(["--port", "/dev/ttyGS0", "--source", "chips", "--channels", "canal:nerve:T:MAX31855:0.0,zone:ablation:K:MAX31856:0.1", "--rate", "20", "--state", "/tmp/s.json"]);
    expect(r).toMatchObject({
      ok: true,
      options: {
        source: "chips", rateHz: 20, statePath: "/tmp/s.json",
        channels: [{ label: "canal", role: "nerve", tc: "T", chip: "MAX31855" }, { label: "zone", role: "ablation", tc: "K", chip: "MAX31856" }],
        spi: [{ bus: 0, device: 0, chip: "MAX31855" }, { bus: 0, device: 1, chip: "MAX31856" }],
      },
    });
  });

  it.each([
    [[], "--port is required"],
    [["--port", "/x", "--rate", "50"], "--rate must be an integer 1..20"],
    [["--port", "/x", "--source", "magic"], "--source must be sim or chips"],
    [["--port", "/x", "--source", "chips"], "--channels is required"],
    [["--port", "/x", "--source", "chips", "--channels", "a:nerve:J:MAX31855:0.0"], "must be K or T"],
    [["--port", "/x", "--source", "chips", "--channels", "a:nerve:T:MAX31855"], "needs the spidev address"],
    [["--port", "/x", "--channels", "a:brain"], "must be nerve, ablation or reference"],
    [["--port", "/x", "--bogus"], "Unknown option"],
  ])("%j -> %s", (argv, msg) => {
    const r = parseCli(argv as string[]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(msg);
      expect(r.error).not.toContain("\n");
    }
  });
});
