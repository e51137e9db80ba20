// `thermoguard sim`: run any scenario or CSV trace headless — a virtual device on a pty, or straight to a CSV file.
import type { Command } from "commander";
import { ScenarioError, listScenarios } from "../../sim/scenario/load-scenario";
import { ProgressBar } from "../../sim/progress-bar";
import { runToFile } from "../../sim/run-to-file";
import { MAX_SIM_DURATION_S } from "../../sim/sim-limits";
import { loadSimSource, startVirtualDevice } from "../../sim/virtual-device";
import { UserError } from "../user-error";
import { parseRate, parseSpeed } from "../sim-options";

interface SimOpts {
  list: boolean;
  speed: number;
  rate: number;
  seed?: string;
  out?: string;
  truth: boolean;
  duration?: string;
  hold: boolean;
}

async function load(scenario: string, seed?: number) {
  try {
    return await loadSimSource(scenario, seed);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message, e.code);
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw new UserError(`no such scenario or file: ${scenario} (thermoguard sim --list shows the shipped ones)`, "SCENARIO_NOT_FOUND");
    throw e;
  }
}

export function register(program: Command): void {
  program
    .command("sim")
    .description("run a scenario or CSV trace headless: a virtual device on a pty (default) or --out to a CSV file")
    .argument("[scenario]", "scenario name, scenario .json or trace .csv (time_s,<channel>,...)")
    .option("--list", "list the shipped scenarios", false)
    .option("-x, --speed <factor>", "simulated seconds per wall second, 1..1000", parseSpeed, 1)
    .option("--rate <hz>", "sample rate, 1..20 Hz", parseRate, 10)
    .option("--seed <n>", "sensor noise seed")
    .option("-o, --out <file.csv>", "write the probe readings to a CSV file as fast as possible instead of running a device")
    .option("--truth", "with --out: add true_<channel> columns (tissue temperature)", false)
    .option("-d, --duration <s>", "simulated seconds to run (default: the scenario's duration)")
    .option("--hold", "keep the virtual device running after the scenario ends (Ctrl-C to stop)", false)
    .action(async (scenario: string | undefined, o: SimOpts) => {
      if (o.list) {
        process.stdout.write(listScenarios().join("\n") + "\n");
        return;
      }
      if (!scenario) throw new UserError("name a scenario or a file (thermoguard sim --list shows the shipped ones)");
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UserError(`--seed: expected an integer, got "${o.seed}"`);
      const durationArg = o.duration === undefined ? undefined : Number(o.duration);
      if (durationArg !== undefined && !(durationArg > 0 && durationArg <= MAX_SIM_DURATION_S)) {
        throw new UserError(`--duration: expected seconds in 0..${MAX_SIM_DURATION_S} (24 h), got "${o.duration}"`, "SIM_DURATION_RANGE");
      }
      const bar = new ProgressBar();
      if (o.out) {
        const sim = await load(scenario, seed);
        const durationS = durationArg ?? sim.durationS;
        const r = await runToFile(sim, o.out, { rateHz: o.rate, durationS, truth: o.truth, onProgress: (s) => bar.update(s, durationS) });
        bar.done();
        process.stdout.write(`wrote ${r.samples} samples (${r.durationS} s) to ${o.out}\n`);
        for (const c of r.channels) process.stdout.write(`  ${c.label}: peak reading ${c.peakC.toFixed(2)} °C (EMI spikes included), ${c.above42S.toFixed(1)} s at >= 42 °C\n`);
        return;
      }
      const sim = await load(scenario, seed); // validate before opening anything
      const durationS = durationArg ?? sim.durationS;
      const dev = await startVirtualDevice({ scenario, sim, timeScale: o.speed, seed, rateHz: o.rate });
      process.stdout.write(`virtual device on ${dev.hostPath} playing "${scenario}" at x${o.speed} (${durationS} s simulated)\n  connect: thermoguard bridge --port ${dev.hostPath}\n`);
      let stopping = false;
      const stop = () => {
        stopping = true;
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      while (!stopping) {
        const t = dev.nowMs() / 1000;
        bar.update(Math.min(t, durationS), durationS, `x${o.speed}`);
        if (t >= durationS && !o.hold) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      bar.done();
      await dev.close();
      process.stdout.write("virtual device stopped\n");
    });
}
