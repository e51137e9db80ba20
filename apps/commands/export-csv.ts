// `thermoguard export-csv <recording.ndjson> [-o out.csv]`: the readings of a recording as CSV.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { readingsCsv } from "../../host/record/csv-export";
import { readRecording } from "../../host/record/read-recording";
import { UserError } from "../user-error";

export function register(program: Command): void {
  program
    .command("export-csv")
    .description("export the readings of a session recording as CSV (degC per channel, fault tokens as text)")
    .argument("<recording>", "session recording (.ndjson)")
    .option("-o, --out <file>", "output CSV file (default: next to the recording; - for stdout)")
    .action(async (file: string, o: { out?: string }) => {
      if (!existsSync(file)) throw new UserError(`recording ${file} does not exist`, "NO_FILE");
      const csv = readingsCsv((await readRecording(file)).records);
      if (o.out === "-") {
        process.stdout.write(csv);
        return;
      }
      const target = o.out ?? file.replace(/\.ndjson$/i, "") + ".csv";
      await writeFile(target, csv);
      process.stdout.write(`CSV written to ${target}\n`);
    });
}
