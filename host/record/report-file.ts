// The report of a recording file, streamed: the file (and the pre-session file that led into it) read line by line into the aggregator.
import { open, readdir } from "node:fs/promises";
import path from "node:path";
import { parseRecordLine } from "./read-recording";
import { forEachRecord } from "./record-stream";
import { type ReportData, ReportBuilder } from "./report-data";
import { reportHtml } from "./report-html";

/** Bytes read from the end of a candidate file for its end record. */
const END_TAIL_BYTES = 4096;
/** Earlier files followed at most (each led into the next by a session change). */
const MAX_CHAINED_FILES = 3;

/** The summary of `file` and of the files that led into it, oldest first. Rejects only when `file` cannot be read. */
export async function summariseFile(file: string): Promise<{ data: ReportData; files: string[] }> {
  const files = [...(await filesBefore(file)), file];
  const b = new ReportBuilder();
  for (const f of files) {
    const st = await forEachRecord(f, (r) => b.add(r));
    b.addUnreadable(st.badLines);
  }
  return { data: b.finish(), files: files };
}

/** The report page of `file`; `live` when it is the file being recorded. */
export async function renderReportFile(file: string, o: { live: boolean; nowMs: number }): Promise<string> {
  const { data, files } = await summariseFile(file);
  return reportHtml(data, { sources: files.map((f) => path.basename(f)), live: o.live, nowMs: o.nowMs });
}

/**
 * A procedure's first probe readings can land in a file without a session (recorded before the session was
 * started); when the session starts the recorder ends that file ("session changed") and opens the session's
 * file with the same time. Those earlier files of the same device are part of the procedure's report.
 */
async function filesBefore(file: string): Promise<string[]> {
  const out: string[] = [];
  let cur = file;
  try {
    for (let i = 0; i < MAX_CHAINED_FILES; i++) {
      const head = await firstRecord(cur);
      if (!head || head.k !== "start" || !head.device) break;
      const dir = path.dirname(cur);
      const device = head.device.deviceId;
      const names = (await readdir(dir)).filter((n) => n.endsWith(".ndjson") && n.includes("_no-session") && path.join(dir, n) !== cur);
      let found: string | null = null;
      for (const n of names) {
        const f = path.join(dir, n);
        const end = await lastRecord(f);
        const start = await firstRecord(f);
        if (end?.k === "end" && end.reason === "session changed" && end.atMs === head.atMs && start?.k === "start" && start.device?.deviceId === device) found = f;
      }
      if (!found) break;
      out.unshift(found);
      cur = found;
    }
  } catch {
    // the chain is a courtesy: the file itself is still reported
  }
  return out;
}

async function firstRecord(file: string) {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf8", 0, bytesRead);
    return parseRecordLine(text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n")));
  } finally {
    await fh.close();
  }
}

async function lastRecord(file: string) {
  const fh = await open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const from = Math.max(0, size - END_TAIL_BYTES);
    const buf = Buffer.alloc(size - from);
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    const lines = buf.toString("utf8", 0, bytesRead).split("\n").filter((l) => l.length > 0);
    return lines.length > 0 ? parseRecordLine(lines[lines.length - 1]) : null;
  } finally {
    await fh.close();
  }
}
