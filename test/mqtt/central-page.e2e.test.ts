// The central station's page in a real headless Chromium: a room's tile turns HIGH and flashes on its INTERVENE, a click opens its read-only view.
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDemo, type Demo } from "../../apps/demo-wiring";
import { startPrivateBroker, type PrivateBroker } from "../../apps/rooms-demo-broker";
import { buildCentral } from "../../host/central/build-central";
import { startCentral, type Central } from "../../host/central/central-server";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

describe("central station page (headless Chromium)", () => {
  let broker: PrivateBroker;
  let central: Central;
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    await buildCentral();
    broker = await startPrivateBroker([{ site: "page", room: "theatre-3", user: "theatre-3" }]);
    central = await startCentral({ broker: { url: broker.urlFor("central") }, listen: "127.0.0.1:0" });
    [demo, browser] = await Promise.all([
      startDemo({ scenario: "synthetic-step", timeScale: 4, seed: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: broker.urlFor("theatre-3") }, site: "page", room: "theatre-3" } }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await central?.close();
    await broker?.close();
  });

  it("shows the room's tile at HIGH, flashing, with its worst nerve temperature over the 42.0 degC limit, the alarm in the cross-room list, and the read-only room view on click", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(central.url);
    const tile = page.locator('.tile[data-room="page/theatre-3/VIRTUAL-01"][data-prio="H"][data-signal="flash"]');
    await tile.waitFor({ timeout: 30_000 });
    expect(await tile.locator("h3").textContent()).toContain("theatre-3");
    expect(await tile.locator(".t-row").first().textContent()).toContain("limit 42.0 °C");
    // The worst nerve value over the limit (a sample held for confirmation shows no number for one reading).
    const tempC = async () => Number((await tile.locator(".t-temp").textContent())!.replace(" °C", ""));
    await vi.waitFor(async () => expect(await tempC()).toBeGreaterThanOrEqual(42), { timeout: 10_000, interval: 50 });
    await page.locator('#alarm-list li[data-alarm-cond="INTERVENE"][data-room="page/theatre-3/VIRTUAL-01"]').first().waitFor({ timeout: 10_000 });
    await tile.click();
    await page.locator("#room-view:not([hidden])").waitFor({ timeout: 10_000 });
    expect(await page.locator("#room-title").textContent()).toContain("theatre-3");
    expect(await page.locator("#room-channels .rv-ch").count()).toBe(2);
    expect(await page.locator("#tiles").isHidden()).toBe(true);
    expect(new URL(page.url()).searchParams.get("room")).toBe("page/theatre-3/VIRTUAL-01");
    expect(errors).toEqual([]);
    await page.close();
  });
});
