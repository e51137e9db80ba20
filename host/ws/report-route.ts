// GET /report: the procedure summary of the session being recorded, generated on request (for the dashboard's report link).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Recorder } from "../record/recorder";
import { readRecording } from "../record/read-recording";
import { summarise } from "../record/report-data";
import { reportHtml } from "../record/report-html";

/** Path of the live report. */
export const REPORT_PATH = "/report";

const HTML_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };

/** Serves the current recording's report (GET), or says whether there is one (HEAD, without building it); 404 while nothing is recorded. */
export async function serveReport(recorder: Recorder | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = recorder?.status.active ? recorder.status.file : null;
  if (!recorder || !file) {
    res.writeHead(404, { "content-type": "text/plain" }).end("no session is being recorded\n");
    return;
  }
  if (req.method === "HEAD") {
    res.writeHead(200, HTML_HEADERS).end();
    return;
  }
  try {
    await recorder.flush();
    const rec = await readRecording(file);
    res.writeHead(200, HTML_HEADERS).end(reportHtml(summarise(rec.records), file));
  } catch (e) {
    res.writeHead(500, { "content-type": "text/plain" }).end("cannot build the report: " + (e as Error).message + "\n");
  }
}
