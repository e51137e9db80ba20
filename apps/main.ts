// The thermoguard command line: commander program with the subcommands of apps/commands/.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index";
import { isUserFacing } from "./user-error";

/** The package's version (package.json, one folder above both apps/main.ts and the bundle in dist/). */
export function packageVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown }).version;
    return typeof v === "string" ? v : "unknown";
  } catch {
    return "unknown";
  }
}

/** Builds the program with every subcommand (apps/commands/index.ts). */
export async function buildProgram(): Promise<Command> {
  const program = new Command("thermoguard")
    .description("Nerve-temperature safety monitor for thermal ablation: host bridge, reports. Research tool, not a certified medical device.")
    .version(packageVersion(), "-V, --version", "print the version and exit")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const name of Object.keys(COMMANDS).sort()) COMMANDS[name].register(program);
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
