// `thermoguard report <recording.ndjson> [-o out.html] [--pdf]`: procedure report from a recording (HTML, or PDF through Chromium).
import { stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { summariseFile } from "../../host/record/report-file";
import { reportHtml } from "../../host/record/report-html";
import path from "node:path";
import { UserError } from "../user-error";
import { htmlToPdf, PAPER_SIZES, type PaperSize } from "../pdf/html-to-pdf";

/** Checks that `file` is a readable recording file (one-line errors with a code otherwise). */
export async function checkRecordingFile(file: string): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch {
    throw new UserError(`recording ${file} does not exist`, "NO_FILE");
  }
  if (st.isDirectory()) throw new UserError(`${file} is a folder: name one recording (.ndjson) inside it`, "IS_FOLDER");
  if (!st.isFile()) throw new UserError(`${file} is not a regular file`, "BAD_FILE");
}

/** Writes the report of `file` to `out` (default: the recording's name with .html or .pdf); returns the output path. */
export async function writeReport(file: string, out?: string, o: { pdf?: boolean; paper?: PaperSize } = {}): Promise<string> {
  await checkRecordingFile(file);
  let s: Awaited<ReturnType<typeof summariseFile>>;
  try {
    s = await summariseFile(file);
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`, "BAD_FILE");
  }
  if (s.data.records === 0) throw new UserError(`${file} holds no thermoguard records (is it a recording?)`, "BAD_FILE");
  const page = reportHtml(s.data, { sources: s.files.map((f) => path.basename(f)), live: false, nowMs: Date.now() });
  const target = out ?? file.replace(/\.ndjson$/i, "") + (o.pdf ? ".pdf" : ".html");
  if (o.pdf) await writeFile(target, await htmlToPdf(page, o.paper ?? "A4"));
  else await writeFile(target, page);
  return target;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("turn a session recording into a procedure report (HTML readable offline, or PDF)")
    .argument("<recording>", "session recording (.ndjson) from the bridge's record folder")
    .option("-o, --out <file>", "output file (default: next to the recording)")
    .option("--pdf", "write a PDF (printed by Chromium, /usr/bin/chromium or $CHROMIUM_PATH)")
    .option("--paper <size>", `PDF paper size: ${PAPER_SIZES.join(" or ")}`, "A4")
    .action(async (file: string, o: { out?: string; pdf?: boolean; paper: string }) => {
      const paper = PAPER_SIZES.find((p) => p.toLowerCase() === o.paper.toLowerCase());
      if (!paper) throw new UserError(`--paper must be ${PAPER_SIZES.join(" or ")}, got ${o.paper}`, "USAGE");
      const target = await writeReport(file, o.out, { pdf: o.pdf, paper: paper });
      process.stdout.write(`report written to ${target}\n`);
    });
}
