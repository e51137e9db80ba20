// `thermoguard demo`: virtual device playing a scenario on a pty + bridge + dashboard, no hardware (what `npm start` runs).
import type { Command } from "commander";
import { DEFAULT_LISTEN, parseListen } from "../../host/bridge";
import { DEFAULT_DEMO_SCENARIO, startDemo } from "../demo-wiring";
import { runUntilSignal } from "../run-until-signal";
import { parseToken } from "../token-option";
import { UserError } from "../user-error";
import { parseSpeed } from "../sim-options";

export function register(program: Command): void {
  program
    .command("demo")
    .description("simulated device + bridge + dashboard (no hardware); prints the dashboard URL")
    .option("-s, --scenario <name|file>", "scenario name (thermoguard sim --list), scenario .json or trace .csv", DEFAULT_DEMO_SCENARIO)
    .option("-x, --speed <factor>", "simulated seconds per wall second, 1..1000", parseSpeed, 1)
    .option("--seed <n>", "sensor noise seed")
    .option("-l, --listen <host:port>", "http / WebSocket address (loopback by default)", DEFAULT_LISTEN)
    .option("-t, --token <token>", "control token, at least 16 characters (default: a random one, printed at start)", parseToken)
    .option("-r, --record-dir <dir>", "folder for session recordings", "./recordings")
    .option("--no-record", "do not record")
    .action(async (o: { scenario: string; speed: number; seed?: string; listen: string; token?: string; recordDir: string; record: boolean }) => {
      try {
        parseListen(o.listen);
      } catch (e) {
        throw new UserError("--listen: " + (e as Error).message.replace(/^listen: /, ""));
      }
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UserError(`--seed: expected an integer, got "${o.seed}"`);
      const demo = await startDemo({ scenario: o.scenario, timeScale: o.speed, seed, listen: o.listen, token: o.token, recordDir: o.record ? o.recordDir : null }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "EADDRINUSE") throw new UserError(`${o.listen} is already in use (another bridge or demo running?): choose another address with --listen`, "EADDRINUSE");
        throw e;
      });
      const d = demo.bridge.state.device;
      process.stdout.write(
        `thermoguard demo — SIMULATED patient and device, scenario "${o.scenario}" at x${o.speed}\n` +
          `  virtual device ${d?.deviceId ?? "?"} (${d?.channels ?? "?"} ch at ${d?.rateHz ?? "?"} Hz) on ${demo.device.hostPath}\n` +
          `  dashboard: ${demo.url}\n  control token: ${demo.token}\n  control URL: ${demo.url}?token=${demo.token}\n` +
          (o.record ? `  recording to: ${o.recordDir}\n` : "  not recording\n") +
          `  Ctrl-C to stop. Research tool, not a certified medical device.\n`,
      );
      await runUntilSignal(() => demo.close());
    });
}
