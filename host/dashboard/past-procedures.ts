// Past procedures: the bridge's recordings index (GET /recordings), each with a link to its report.
import * as z from "zod";
import { byId, h, setText } from "./dom";
import { fmtBytes } from "./format";

/** Path of the bridge's recordings index. */
export const RECORDINGS_PATH = "/recordings";

/** One entry of the index, as far as this page uses it (the bridge may send more). */
export const RecordingEntry = z.object({
  name: z.string(),
  bytes: z.number(),
  modifiedAtMs: z.number(),
  startAtMs: z.number().nullable(),
  session: z.string().nullable(),
  caseId: z.string().nullable().optional(),
  live: z.boolean(),
  reportUrl: z.string(),
});
export const RecordingsIndex = z.object({ recordings: z.array(RecordingEntry), truncated: z.boolean() });
export type RecordingEntry = z.infer<typeof RecordingEntry>;

/** "4 Dec 01:30 · case-1204-013043 · P-0142 · 320.1 KB". */
export function recordingLabel(r: RecordingEntry): string {
  const d = new Date(r.startAtMs ?? r.modifiedAtMs);
  const p = (n: number) => String(n).padStart(2, "0");
  const when = `${d.getDate()} ${d.toLocaleString("en", { month: "short" })} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return [when, r.session ?? "no session", r.caseId, fmtBytes(r.bytes)].filter(Boolean).join(" · ") + (r.live ? " · recording now" : "");
}

/** Loads the index into the panel (each time it is opened). */
export async function showPastProcedures(): Promise<void> {
  const status = byId("past-status");
  const list = byId("past-list");
  setText(status, "… loading");
  try {
    const res = await fetch(RECORDINGS_PATH, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(res.status === 404 ? "this bridge lists no recordings" : `HTTP ${res.status}`);
    const idx = RecordingsIndex.parse(await res.json());
    list.replaceChildren(
      ...idx.recordings.map((r) => h("li", { "data-file": r.name }, h("a", { href: r.reportUrl, target: "_blank", rel: "noopener" }, recordingLabel(r)))),
    );
    setText(status, idx.recordings.length === 0 ? "no recordings yet" : idx.truncated ? `newest ${idx.recordings.length} shown` : "");
  } catch (e) {
    list.replaceChildren();
    setText(status, `✕ ${(e as Error).message}`);
  }
}
