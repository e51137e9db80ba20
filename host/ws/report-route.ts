// GET /report (a recording's procedure report, HTML) and GET /recordings (the index of the record folder, JSON).
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Recorder } from "../record/recorder";
import { listRecordings, resolveRecording } from "../record/recording-index";
import { renderReportFile } from "../record/report-file";

/** Path of the report: the live recording's, or `?file=<name>` for one in the record folder. */
export const REPORT_PATH = "/report";
/** Path of the recordings index (JSON). */
export const RECORDINGS_PATH = "/recordings";
/** Reports built at the same time; further requests get 503 REPORT_BUSY (a report of a 24 h file takes seconds). */
export const MAX_CONCURRENT_REPORTS = 1;

const HTML_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };

let building = 0;

/**
 * Serves GET / HEAD of REPORT_PATH and RECORDINGS_PATH; returns false for any other request (left to the caller).
 * Never rejects, and answers every request exactly once: a report that fails is a 500 with a code.
 */
export function handleRecordRoute(recorder: Recorder | null, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === REPORT_PATH) void answer(res, () => serveReport(recorder, req, url));
  else if (url.pathname === RECORDINGS_PATH) void answer(res, () => serveRecordings(recorder, req));
  else return false;
  return true;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const text = (status: number, code: string, message: string): Reply => ({ status: status, headers: { "content-type": "text/plain; charset=utf-8" }, body: `${code}: ${message}\n` });

/** Builds the whole reply before the status line is sent, so a failure can still be a 500. */
async function answer(res: ServerResponse, build: () => Promise<Reply>): Promise<void> {
  let r: Reply;
  try {
    r = await build();
  } catch (e) {
    r = text(500, "REPORT_FAILED", (e as Error)?.message ?? String(e));
  }
  try {
    if (res.headersSent) res.destroy();
    else res.writeHead(r.status, r.headers).end(res.req.method === "HEAD" ? undefined : r.body);
  } catch {
    res.destroy();
  }
}

async function serveReport(recorder: Recorder | null, req: IncomingMessage, url: URL): Promise<Reply> {
  if (!recorder) return text(404, "NO_RECORDING", "this bridge records nothing (started without a record folder)");
  const name = url.searchParams.get("file");
  const liveFile = recorder.status.active ? recorder.status.file : null;
  let file: string;
  if (name === null) {
    if (!liveFile) return text(404, "NO_RECORDING", "no session is being recorded");
    file = liveFile;
  } else {
    const r = await resolveRecording(recorder.dir, name);
    if ("error" in r) return r.error === "BAD_NAME" ? text(400, "BAD_NAME", "file must be a recording's name from /recordings") : text(404, "NO_RECORDING", `no recording ${name}`);
    file = r.file;
  }
  if (req.method === "HEAD") return { status: 200, headers: HTML_HEADERS, body: "" };
  if (building >= MAX_CONCURRENT_REPORTS) return { ...text(503, "REPORT_BUSY", "another report is being built; try again in a few seconds"), headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5" } };
  building++;
  try {
    const live = liveFile !== null && path.resolve(file) === path.resolve(liveFile);
    if (live) await recorder.flush();
    return { status: 200, headers: HTML_HEADERS, body: await renderReportFile(file, { live: live, nowMs: Date.now() }) };
  } finally {
    building--;
  }
}

async function serveRecordings(recorder: Recorder | null, req: IncomingMessage): Promise<Reply> {
  const list = recorder ? await listRecordings(recorder.dir, recorder.status.active ? recorder.status.file : null) : { recordings: [], truncated: false };
  const body = {
    recordings: list.recordings.map((r) => ({ ...r, reportUrl: `${REPORT_PATH}?file=${encodeURIComponent(r.name)}` })),
    truncated: list.truncated,
  };
  return { status: 200, headers: JSON_HEADERS, body: req.method === "HEAD" ? "" : JSON.stringify(body) };
}
