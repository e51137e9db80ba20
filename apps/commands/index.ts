// The subcommands, in help order: a static list so the command line also works bundled (dist/thermoguard.mjs).
import type { Command } from "commander";
import * as bridge from "./bridge";
import * as central from "./central";
import * as demo from "./demo";
import * as exportCsv from "./export-csv";
import * as report from "./report";
import * as sim from "./sim";

/** What a file in apps/commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** Every subcommand module (test/host/cli.test.ts checks that each file of this folder is listed). */
export const COMMANDS: Record<string, CommandModule> = { bridge: bridge, central: central, demo: demo, "export-csv": exportCsv, report: report, sim: sim };
