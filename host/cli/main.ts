// The thermoguard command line: commander program; every file in host/cli/commands/ registers one subcommand.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { isUserFacing } from "./user-error";

/** What a file in host/cli/commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

const COMMANDS_DIR = new URL("./commands/", import.meta.url);

/** Builds the program with every subcommand of host/cli/commands/ (sorted by file name). */
export async function buildProgram(): Promise<Command> {
  const program = new Command("thermoguard")
    .description("Nerve-temperature safety monitor for thermal ablation: host bridge, reports. Research tool, not a certified medical device.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const files = readdirSync(fileURLToPath(COMMANDS_DIR))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .sort();
  for (const f of files) {
    const mod = (await import(new URL(f, COMMANDS_DIR).href)) as Partial<CommandModule>;
    if (typeof mod.register !== "function") throw new Error(`host/cli/commands/${f} must export register(program)`);
    mod.register(program);
  }
  return program;
}

/** Runs the command line; resolves with the exit code. User errors print one line; programmer errors keep their stack. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed help / the usage error
    if (isUserFacing(e)) {
      const code = (e as { code?: string }).code;
      process.stderr.write(`thermoguard: ${e.message}${code && code !== "USAGE" ? ` [${code}]` : ""}\n`);
      return 1;
    }
    throw e;
  }
}
