// `thermoguard export-csv <recording.ndjson> [-o out.csv]`: the readings of a recording as a CSV trace that `thermoguard sim` replays.
import { createWriteStream } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { exportCsvFile } from "../../host/record/csv-export";
import { UserError } from "../user-error";
import { checkRecordingFile } from "./report";

/** Writes the CSV of `file` to `out` ("-": stdout); resolves with the path written and the row count. */
export async function writeCsv(file: string, out?: string): Promise<{ target: string; rows: number }> {
  await checkRecordingFile(file);
  const target = out ?? file.replace(/\.ndjson$/i, "") + ".csv";
  const stream = target === "-" ? process.stdout : createWriteStream(target);
  const failed = new Promise<never>((_, reject) => stream.once("error", (e) => reject(new UserError(`cannot write ${target}: ${e.message}`, "WRITE_FAILED"))));
  let rows = 0;
  await Promise.race([
    failed,
    (async () => {
      try {
        ({ rows } = await exportCsvFile(file, path.basename(file), (t) => stream.write(t)));
      } catch (e) {
        throw new UserError(`cannot read ${file}: ${(e as Error).message}`, "BAD_FILE");
      }
      if (stream !== process.stdout) await new Promise<void>((res) => (stream as NodeJS.WritableStream).end(res));
    })(),
  ]);
  return { target: target, rows: rows };
}

export function register(program: Command): void {
  program
    .command("export-csv")
    .description("export the readings of a session recording as a CSV trace (time_s, degC per probe; faults as empty cells) that `sim` replays")
    .argument("<recording>", "session recording (.ndjson)")
    .option("-o, --out <file>", "output CSV file (default: next to the recording; - for stdout)")
    .action(async (file: string, o: { out?: string }) => {
      const r = await writeCsv(file, o.out);
      if (r.target !== "-") process.stdout.write(`CSV written to ${r.target} (${r.rows} rows)\n`);
    });
}
