// Writes docs/dashboard.png (README) and test-artifacts/dashboard-readme.png: the default demo mid-procedure, 1366x768.
// Run after a UI change: node --import tsx test/dashboard/take-screenshot.ts
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { buildDashboard } from "../../host/dashboard/build-dashboard";
import { startDemo } from "../../apps/demo-wiring";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TIME_SCALE = Number(process.env.TG_SHOT_TIME_SCALE ?? 5);
/** Simulated seconds to wait for before marking CO2 (the scenario crosses 42 degC at 134 s) and before the picture. */
const CO2_AT_S = 138;
const SHOT_AT_S = 200;

await buildDashboard();
const recordDir = await mkdtemp(path.join(os.tmpdir(), "tg-dash-shot-"));
const demo = await startDemo({ scenario: "spinal-mwa-cooled", timeScale: TIME_SCALE, listen: "127.0.0.1:0", token: "readme-screenshot-token", recordDir, seed: 1 });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(demo.url + "?token=" + demo.token);
  await page.waitForFunction(() => (window.__thermoguard?.chartPoints()[0] ?? 0) > 0);
  const simNow = async () => (await page.evaluate(() => window.__thermoguard!.newestTMs() ?? 0)) / 1000;
  while ((await simNow()) < CO2_AT_S) await page.waitForTimeout(100);
  await page.click('button[data-mark="CO2 injected"]');
  while ((await simNow()) < SHOT_AT_S) await page.waitForTimeout(100);
  await page.click('.toolbar button[data-span="0"]');
  await page.waitForTimeout(400);
  const out = path.join(ROOT, "test-artifacts", "dashboard-readme.png");
  await mkdir(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, animations: "disabled" });
  await copyFile(out, path.join(ROOT, "docs", "dashboard.png"));
  console.log("wrote docs/dashboard.png");
} finally {
  await browser.close();
  await demo.close();
  await rm(recordDir, { recursive: true, force: true });
}
