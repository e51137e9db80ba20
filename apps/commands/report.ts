// `thermoguard report <recording.ndjson> [-o out.html]`: procedure summary page from a recording.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { readRecording } from "../../host/record/read-recording";
import { summarise } from "../../host/record/report-data";
import { reportHtml } from "../../host/record/report-html";
import { UserError } from "../user-error";

/** Writes the HTML report of `file` to `out` (default: the recording's name with .html); returns the output path. */
export async function writeReport(file: string, out?: string): Promise<string> {
  if (!existsSync(file)) throw new UserError(`recording ${file} does not exist`, "NO_FILE");
  const rec = await readRecording(file);
  if (rec.records.length === 0) throw new UserError(`${file} holds no thermoguard records (is it a recording?)`, "BAD_FILE");
  const target = out ?? file.replace(/\.ndjson$/i, "") + ".html";
  await writeFile(target, reportHtml(summarise(rec.records), file));
  return target;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("turn a session recording into a procedure summary (HTML, readable offline)")
    .argument("<recording>", "session recording (.ndjson) from the bridge's record folder")
    .option("-o, --out <file>", "output HTML file (default: next to the recording)")
    .action(async (file: string, o: { out?: string }) => {
      const target = await writeReport(file, o.out);
      process.stdout.write(`report written to ${target}\n`);
    });
}
