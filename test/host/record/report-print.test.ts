// The report in Debian's Chromium: printed on A4 and Letter nothing sticks out of the page, SIMULATED is on every page, and `report --pdf` writes a PDF of that paper size.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, htmlToPdf } from "../../../apps/pdf/html-to-pdf";
import type { RecordLine } from "../../../host/record/record-types";
import { summarise } from "../../../host/record/report-data";
import { reportHtml } from "../../../host/record/report-html";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const MM_PX = 96 / 25.4;
/** Printable width with the report's 12 mm margins, CSS px: A4 210 mm, Letter 8.5 in. */
const PAPER = { A4: { widthMm: 210, heightPt: 842 }, Letter: { widthMm: 215.9, heightPt: 792 } } as const;

/** A simulated 8-probe, 20-minute recording with long labels, many alarms and events: several printed pages. */
function recording(): RecordLine[] {
  const labels = ["canal-L4-left-foramen", "root-L5", "root-S1", "zone-1", "zone-2", "zone-3", "skin", "reference"];
  const channels = labels.map((label, ch) => ({ ch, label, role: ch < 3 ? ("nerve" as const) : ("ablation" as const), tc: "SIM" as const, chip: "SIM" as const }));
  const recs: RecordLine[] = [{ k: "start", atMs: T0, format: 1, bridge: "t", device: { deviceId: "SIM-1", fw: "1.0", bootId: "0000002A", major: 1, minor: 0, channels: 8, rateHz: 10, session: "demo", schemaHash: "0", schemaMatches: true, restored: false, port: null }, channels, limits: null, alarms: [], doses: [] }];
  recs.push({ k: "case", atMs: T0, fields: { caseId: "DEMO-001", procedure: "lumbar facet radiofrequency denervation, bilateral L4-L5 and L5-S1", modality: "RF", operator: "Dr Example", placements: labels.map((_, ch) => ({ ch, placement: "placement description for probe " + ch })) } });
  for (let i = 0; i < 12_000; i++) recs.push({ k: "r", atMs: T0 + i * 100, seq: i, tMs: i * 100, v: labels.map((_, ch) => 3700 + ch * 50 + Math.round(300 * Math.sin(i / 500 + ch))) });
  for (let a = 0; a < 30; a++) {
    const alarm = { key: "dev:0000002A:" + a, source: "device" as const, alarmId: a, cond: "WARN" as const, ch: a % 8, prio: "M" as const, kind: "P" as const, active: true, acked: false, latching: false, value: 4010, limit: 4000, info: 0, raisedAtMs: T0 + a * 30_000, changedAtMs: T0 + a * 30_000, tMs: a * 30_000, text: `${labels[a % 8]}: 40.10 °C ≥ warn 40.00 °C` };
    recs.push({ k: "alarm", atMs: T0 + a * 30_000, action: "RAISE", alarm });
    recs.push({ k: "event", atMs: T0 + a * 35_000, event: { atMs: T0 + a * 35_000, text: "CO2 injected through the second cannula, 5 ml", source: "client" } });
  }
  return recs;
}

let browser: Browser;
let dir = "";
let page = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-print-"));
  page = reportHtml(summarise(recording()), { sources: ["demo.ndjson"], live: false, nowMs: T0 });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the printed report", () => {
  for (const [paper, size] of Object.entries(PAPER)) {
    it(`fits ${paper}: no element wider than the printable width; SIMULATED fixed on every page`, async () => {
      const width = Math.floor((size.widthMm - 24) * MM_PX);
      const p = await browser.newPage({ viewport: { width, height: 1000 }, javaScriptEnabled: true });
      try {
        await p.setContent(page);
        await p.emulateMedia({ media: "print" });
        // Evaluated in the page (a string: this test compiles without the DOM's types).
        const r = (await p.evaluate(`(() => {
          const over = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => e.tagName + "." + e.className);
          const sim = document.querySelector(".simpage");
          const cs = getComputedStyle(sim);
          return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, over, sim: [cs.display, cs.position, sim.textContent] };
        })()`)) as { scroll: number; client: number; over: string[]; sim: string[] };
        expect(r.over).toEqual([]);
        expect(r.scroll).toBeLessThanOrEqual(r.client);
        // A fixed element is printed on every page.
        expect(r.sim).toEqual(["block", "fixed", "SIMULATED"]);
      } finally {
        await p.close();
      }
    }, 30_000);
  }

  it("report --pdf --paper Letter writes a PDF of Letter pages; A4 pages on A4", async () => {
    const rec = path.join(dir, "demo.ndjson");
    await writeFile(rec, recording().map((r) => JSON.stringify(r)).join("\n") + "\n");
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(process.execPath, [path.join(ROOT, "bin/thermoguard.js"), "report", rec, "--pdf", ...args], { timeout: 50_000, env: { ...process.env, THERMOGUARD_TSX: "1" } }, (err, _o, stderr) => resolve({ code: err ? 1 : 0, stderr })),
      );
    const letter = path.join(dir, "letter.pdf");
    expect(await run(["--paper", "letter", "-o", letter])).toEqual({ code: 0, stderr: "" });
    const a4 = path.join(dir, "a4.pdf");
    await writeFile(a4, await htmlToPdf(page, "A4"));
    for (const [file, heightPt] of [
      [letter, PAPER.Letter.heightPt],
      [a4, PAPER.A4.heightPt],
    ] as const) {
      const pdf = (await readFile(file)).toString("latin1");
      expect(pdf.startsWith("%PDF-")).toBe(true);
      const heights = [...pdf.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => Number(m[2]));
      expect(heights.length).toBeGreaterThan(1); // several pages
      expect(heights.filter((h) => Math.abs(h - heightPt) > 1)).toEqual([]);
    }
  }, 60_000);
});
