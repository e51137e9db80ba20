// Every probe's value and alarm on one screen at four window sizes, the banner in plain words, sessions and case fields, in headless Chromium against the demo.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../apps/demo-wiring";
import { ensureDashboardBuilt } from "./ensure-built";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** Four probes (canal, two foramina, ablation zone); the canal passes 45 degC at 157 s (STOP, interlock). x20: ~8 s of wall time. */
const SCENARIO = "spinal-mwa-overshoot";
const TIME_SCALE = 20;
const TOKEN = "layout-e2e-token-0123456789";
/** Desktop, laptop, small laptop / projector, portrait tablet. */
const SIZES = [
  [1920, 1080],
  [1366, 768],
  [1024, 768],
  [768, 1024],
] as const;

/**
 * In the page: what is wrong with the layout, as readable strings (empty when every probe's value,
 * level and alarm chip, the banner and the first alarm are inside the viewport, unclipped, not overlapping).
 */
function layoutProblems(): string[] {
  const out: string[] = [];
  const vw = innerWidth;
  const vh = innerHeight;
  const name = (el: Element) => (el.id ? "#" + el.id : el.className.toString().split(" ")[0]) + (el.closest(".ch") ? ` of ${(el.closest(".ch") as HTMLElement).querySelector(".ch-label")?.textContent}` : "");
  const inside = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return out.push(`${name(el)} has no size`);
    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push(`${name(el)} outside the ${vw}x${vh} viewport: ${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}`);
  };
  /** Text cut by its own box (ellipsis, clamp) or running out of it. */
  const unclipped = (el: Element) => {
    const h = el as HTMLElement;
    if (h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 1) out.push(`${name(el)} text cut: ${h.scrollWidth}x${h.scrollHeight} in ${h.clientWidth}x${h.clientHeight} ("${h.textContent?.slice(0, 40)}")`);
  };
  /** A child that sticks out of its (overflow-hidden) parent. */
  const within = (child: Element, parent: Element) => {
    const c = child.getBoundingClientRect();
    const p = parent.getBoundingClientRect();
    if (c.height > 0 && (c.bottom > p.bottom + 0.5 || c.right > p.right + 0.5)) out.push(`${name(child)} sticks out of ${name(parent)} by ${Math.round(Math.max(c.bottom - p.bottom, c.right - p.right))} px`);
  };
  const overlap = (a: Element, b: Element) => {
    const p = a.getBoundingClientRect();
    const q = b.getBoundingClientRect();
    if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 && q.top < p.bottom - 0.5) out.push(`${name(a)} overlaps ${name(b)}`);
  };
  const se = document.scrollingElement!;
  if (se.scrollHeight > vh + 1 || se.scrollWidth > vw + 1) out.push(`the page scrolls: ${se.scrollWidth}x${se.scrollHeight}`);
  const rowsBox = document.getElementById("channel-rows")!;
  if (rowsBox.scrollHeight > rowsBox.clientHeight + 1) out.push(`the channel rows scroll: ${rowsBox.scrollHeight} in ${rowsBox.clientHeight}`);
  const rows = [...document.querySelectorAll(".ch")];
  if (rows.length < 4) out.push(`${rows.length} probe rows`);
  rows.forEach((row, i) => {
    for (const sel of [".ch-label", ".ch-value .num", ".ch-value .unit", ".ch-level", ".ch-trend", ".ch-eta", ".ch-alarm:not([hidden])"]) {
      const el = row.querySelector(sel);
      if (!el || (el as HTMLElement).hidden || el.textContent === "") continue;
      inside(el);
      unclipped(el);
      within(el, row.querySelector(".ch-main")!);
    }
    for (const el of row.querySelectorAll(".ch-dose > *")) within(el, row.querySelector(".ch-dose")!);
    for (const el of row.querySelectorAll(".dose-val, .dose-left, .dose-name")) unclipped(el);
    const parts = [".ch-main", ".ch-dose", ".ch-chart"].map((s) => row.querySelector(s)!);
    overlap(parts[0]!, parts[1]!);
    overlap(parts[1]!, parts[2]!);
    if (i > 0) overlap(rows[i - 1]!, row);
  });
  const banner = document.getElementById("alarm-banner")!;
  inside(banner);
  unclipped(document.getElementById("banner-msg")!);
  for (const b of banner.querySelectorAll("button")) inside(b);
  if (rows[0]) overlap(banner, rows[0]);
  const first = document.querySelector("#alarm-list .alarm .al-cond");
  if (first) {
    inside(first);
    unclipped(first);
  }
  return out;
}

describe("dashboard layout and procedure (headless Chromium, four window sizes)", () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let recordDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    await mkdir(ARTIFACTS, { recursive: true });
    recordDir = await mkdtemp(path.join(os.tmpdir(), "tg-dash-layout-"));
    [demo, browser] = await Promise.all([
      startDemo({ scenario: SCENARIO, timeScale: TIME_SCALE, listen: "127.0.0.1:0", token: TOKEN, recordDir, seed: 1 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 45_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (recordDir) await rm(recordDir, { recursive: true, force: true });
  });

  it("at STOP: the banner says STOP first in plain words with what to do; every probe's value and alarm fit 1920x1080, 1366x768, 1024x768 and 768x1024; nerve peaks, hover read-out, optional rate of rise", async () => {
    await page.goto(demo.url + "?token=" + TOKEN);
    // The demo's procedure started with its first reading: the bridge named the session itself.
    await page.waitForFunction(() => /^case-\d{4}-\d{6}$/.test(document.getElementById("session-now")?.textContent ?? ""), null, { timeout: 15_000 });
    await page.waitForSelector('#alarm-list li[data-alarm-cond="STOP"]', { timeout: 40_000 });
    await expect.poll(() => page.locator("#alarm-banner").getAttribute("data-cond"), { timeout: 5_000 }).toBe("STOP");
    const banner = (await page.locator("#banner-msg").textContent())!;
    expect(banner).toMatch(/^!!! STOP — canal \d\d\.\d °C ≥ stop limit 45\.0 °C; generator interlock asserted/);
    expect(banner).toContain("Energy off now; cool with CO2 or iced 5 % glucose");
    // The probe is named once, and no condition code reaches the user.
    expect(banner.match(/canal/g)).toHaveLength(1);
    const visibleText = await page.evaluate(() => [document.getElementById("banner-msg")!, ...document.querySelectorAll("#alarm-list .al-cond, #alarm-list .al-text, .ch-alarm")].map((e) => e.textContent).join("\n"));
    expect(visibleText).not.toMatch(/\b[A-Z0-9]+_[A-Z0-9_]+\b/);
    await page.waitForSelector("#interlock-pill:not([hidden])", { timeout: 5_000 });

    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      // Wait for the layout to settle (charts follow their boxes through a ResizeObserver), then check it.
      await page.waitForFunction(([ww]) => innerWidth === ww && [...document.querySelectorAll(".ch-chart .uplot")].every((u) => Math.abs(u.getBoundingClientRect().width - (u.parentElement as HTMLElement).clientWidth) < 2), [w], { timeout: 5_000 });
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${w}x${h}.png`), animations: "disabled" });
      expect(await page.evaluate(layoutProblems), `${w}x${h}`).toEqual([]);
    }

    // Nerve probes show their peak; hovering a chart reads out time and value; the rate-of-rise curve is optional.
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const label of ["canal", "foramen-L", "foramen-R"]) expect(await page.locator(".ch", { hasText: label }).first().locator(".ch-trend").textContent()).toMatch(/peak \d\d\.\d °C$/);
    const chart = (await page.locator(".ch-chart .u-over").first().boundingBox())!;
    await page.mouse.move(chart.x + chart.width - 8, chart.y + chart.height / 2);
    await page.waitForSelector(".ch-chart .chart-tip:not([hidden])", { timeout: 5_000 });
    expect(await page.locator(".ch-chart .chart-tip:not([hidden])").first().textContent()).toMatch(/^\d\d:\d\d:\d\d {2}(\d\d\.\d\d °C|no reading)/);
    expect(await page.evaluate(() => window.__thermoguard!.chartSeries())).toEqual([2, 2, 2, 2]);
    await page.click("#rate-toggle");
    await page.waitForFunction(() => window.__thermoguard!.chartSeries().every((n) => n === 3), null, { timeout: 5_000 });
    await page.click("#rate-toggle");
    await page.waitForFunction(() => window.__thermoguard!.chartSeries().every((n) => n === 2), null, { timeout: 5_000 });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("a new procedure shows, per probe, the doses it will zero; confirmed, it starts; a used name is refused; case fields reach the bridge; past procedures open their reports", async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const first = demo.bridge.state.device!.session!;
    // The canal has been above 42.2 degC: the dialog names what it loses.
    await page.waitForFunction(() => window.__thermoguard!.link().control, null, { timeout: 5_000 });
    await expect.poll(() => demo.bridge.state.doses.get(0)?.t42Ms ?? 0, { timeout: 20_000 }).toBeGreaterThan(1000);
    await page.click("#session-new");
    await page.waitForSelector("#session-dialog[open]");
    const lines = await page.locator("#sd-doses li").allTextContents();
    expect(lines).toHaveLength(3); // the three nerve probes; the ablation-zone probe has no dose
    expect(lines[0]).toMatch(/^canal: (\d+ min \d\d s|\d+ s) at ≥ 42\.2 °C of 50 min, .* CEM43 \d+\.\d\d of 16\.5$/);
    expect(await page.locator("#sd-ending").textContent()).toBe(`Ends procedure ${first} first.`);
    expect(await page.locator("#sd-ok").textContent()).toBe("Zero these doses and start");
    // Cancel: nothing sent, nothing zeroed.
    await page.click("#sd-cancel");
    expect(demo.bridge.state.device!.session).toBe(first);

    await page.click("#session-new");
    await page.fill("#sd-name", "P-0142");
    await page.click("#sd-ok");
    await expect.poll(() => demo.bridge.state.device!.session, { timeout: 10_000 }).toBe("P-0142");
    expect(demo.bridge.state.events.map((e) => e.text).find((t) => t.startsWith("Session P-0142 started"))).toMatch(/doses zeroed: canal \d+ min \d+ s at >= 42\.2 degC/);
    await page.waitForFunction(() => document.getElementById("session-now")?.textContent === "P-0142", null, { timeout: 5_000 });

    // The first name again: refused by the bridge, said on the page.
    await page.click("#session-new");
    await page.fill("#sd-name", first);
    await page.click("#sd-ok");
    await page.waitForSelector("#cmd-error:not([hidden])", { timeout: 5_000 });
    expect(await page.locator("#cmd-error").textContent()).toContain("NAME_USED");
    expect(demo.bridge.state.device!.session).toBe("P-0142");

    // Case fields, during the procedure.
    await page.click("#case summary");
    await page.fill("#case-id", "PT-7731");
    await page.selectOption("#case-modality", "MWA");
    await page.fill("#case-operator", "Operator A");
    await page.fill("#case-place-0", "canal, posterior L4");
    await page.click("#case-form button[type=submit]");
    await expect.poll(() => demo.bridge.state.caseFields, { timeout: 5_000 }).toMatchObject({ caseId: "PT-7731", modality: "MWA", operator: "Operator A", placements: [{ ch: 0, placement: "canal, posterior L4" }] });
    await page.waitForFunction(() => document.getElementById("case-summary")?.textContent === "PT-7731 · MWA · Operator A", null, { timeout: 5_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-case.png"), animations: "disabled" });

    // Past procedures: both recordings listed (the first, and this one being recorded), each opening its report.
    await page.click("#past summary");
    await page.waitForFunction(() => document.querySelectorAll("#past-list li").length >= 2, null, { timeout: 10_000 });
    const entries = await page.locator("#past-list li a").allTextContents();
    expect(entries.some((t) => t.includes(first))).toBe(true);
    expect(entries.find((t) => t.includes("P-0142"))).toMatch(/recording now$/);
    const href = await page.locator("#past-list li a", { hasText: first }).evaluate((a) => (a as HTMLAnchorElement).href);
    const report = await fetch(href);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain(first);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("a view-only display shows its controls disabled and says what Acknowledge does", async () => {
    const p = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await p.goto(demo.url);
    await p.waitForFunction(() => document.body.hasAttribute("data-view-only"), null, { timeout: 10_000 });
    expect(await p.locator("#session-new").getAttribute("aria-disabled")).toBe("true");
    expect(await p.locator("#ack-all").getAttribute("aria-disabled")).toBe("true");
    expect(await p.locator("#ack-all").textContent()).toBe("Acknowledge all · silence 120 s");
    expect(await p.locator("#session-new").evaluate((b) => Number(getComputedStyle(b).opacity))).toBeLessThan(0.6);
    await p.close();
  }, 30_000);
});
