// Reads a session recording (NDJSON) back, tolerating a torn last line (the file of a crashed bridge).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { RecordLine } from "./record-types";

/** The records of a file, plus how many lines could not be parsed. */
export interface Recording {
  records: RecordLine[];
  badLines: number;
}

/** Reads every record of `file`. Rejects only when the file cannot be read. */
export async function readRecording(file: string): Promise<Recording> {
  const records: RecordLine[] = [];
  let badLines = 0;
  const stream = createReadStream(file, { encoding: "utf8" });
  const done = new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.once("close", resolve);
  });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    const r = parseRecordLine(line);
    if (r) records.push(r);
    else badLines++;
  }
  await done;
  return { records: records, badLines: badLines };
}

/** One NDJSON line as a record, or null (not JSON, or not a record: a torn line, garbage). */
export function parseRecordLine(line: string): RecordLine | null {
  try {
    const r = JSON.parse(line) as RecordLine;
    return r && typeof r === "object" && typeof r.k === "string" && typeof r.atMs === "number" ? r : null;
  } catch {
    return null;
  }
}
