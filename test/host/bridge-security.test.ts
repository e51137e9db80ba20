// WebSocket / http guard: Origin allowlist, Host names (DNS rebinding), token, payload cap.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startRig, type Rig } from "./helpers/rig";
import { TestClient } from "./helpers/ws-client";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function refusedStatus(url: string, headers: Record<string, string>): Promise<number> {
  return TestClient.connect(url, headers).then(
    (c) => {
      c.close();
      return 101;
    },
    (e: { status?: number }) => e.status ?? -1,
  );
}

function httpGet(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("bridge security", () => {
  it("accepts its own origin and no origin; refuses other origins and foreign Host names with 403", async () => {
    rig = await startRig();
    const url = rig.bridge.wsUrl;
    const own = new URL(rig.bridge.url).origin;
    const port = new URL(url).port;
    expect(await refusedStatus(url, { origin: own })).toBe(101);
    expect(await refusedStatus(url, { origin: `http://localhost:${port}` })).toBe(101);
    expect(await refusedStatus(url, {})).toBe(101);
    expect(await refusedStatus(url, { origin: "https://evil.example" })).toBe(403);
    expect(await refusedStatus(url, { origin: `http://127.0.0.1:${Number(port) + 1}` })).toBe(403);
    expect(await refusedStatus(url, { host: `evil.example:${port}` })).toBe(403); // DNS rebinding
    expect(await refusedStatus(url.replace("/ws", "/other"), {})).toBe(404);
    expect((await httpGet(rig.bridge.url, `evil.example:${port}`)).status).toBe(403);
    const page = await httpGet(rig.bridge.url);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/dashboard|<html/i);
  });

  it("serves the built dashboard's files, and nothing outside its folder", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const dash = await mkdtemp(path.join(os.tmpdir(), "tg-dash-"));
    await writeFile(path.join(dash, "index.html"), "<!doctype html><title>dash</title>");
    await writeFile(path.join(dash, "app.js"), "console.log(1)");
    rig = await startRig({}, { dashboardDir: dash });
    const index = await httpGet(rig.bridge.url);
    expect(index).toMatchObject({ status: 200, body: expect.stringContaining("<title>dash</title>") });
    expect((await httpGet(rig.bridge.url + "app.js")).status).toBe(200);
    expect((await httpGet(rig.bridge.url + "..%2f..%2fetc%2fpasswd")).status).toBe(404);
    expect((await httpGet(rig.bridge.url + "missing.js")).status).toBe(404);
  });

  it("allows an extra origin given with allowOrigins", async () => {
    rig = await startRig({}, { allowOrigins: ["http://wall-display.local:8080"] });
    expect(await refusedStatus(rig.bridge.wsUrl, { origin: "http://wall-display.local:8080" })).toBe(101);
  });

  it("refuses control without the token, with a wrong token, and after a failed hello", async () => {
    rig = await startRig();
    const c = await rig.connect();
    expect(await c.command(1, { name: "pause", seconds: 10 })).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    expect(await c.command(2, { name: "pause", seconds: 10 }, "test-tokeN")).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    c.send({ type: "hello", token: "nope" });
    expect(await c.next((m) => m.type === "auth")).toMatchObject({ control: false });
    expect(await c.command(3, { name: "mark", text: "x" })).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    expect(rig.device.received.filter((m) => m.type === "PAUSE" || m.type === "MARK")).toHaveLength(0);
    expect(await c.command(4, { name: "pause", seconds: 10 }, "test-token")).toMatchObject({ ok: true, outcome: "ACK" });
  });

  it("closes a connection that sends more than maxPayload (1009) and stays up for others", async () => {
    rig = await startRig();
    const big = await rig.connect();
    const other = await rig.connect();
    big.send({ type: "hello", token: "x".repeat(10_000) });
    await big.waitClose();
    expect(big.closeCode).toBe(1009);
    other.send({ type: "resync" });
    expect(await other.next((m) => m.type === "snapshot")).toBeTruthy();
    expect(rig.bridge.state.counters.wsClients).toBe(1);
    expect(rig.bridge.state.counters.wsBadMessages).toEqual({ WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1 });
  });

  it("drops a client that stops answering pings", async () => {
    rig = await startRig({}, { pingIntervalMs: 200 });
    const c = await rig.connect();
    // A client whose socket still accepts data but never answers pings (autoPong off).
    const mute = new WebSocket(rig.bridge.wsUrl, { autoPong: false });
    await new Promise((r) => mute.once("open", r));
    const closed = new Promise<number>((r) => mute.once("close", (code) => r(code)));
    await expect.poll(() => rig!.bridge.state.counters.wsClients).toBe(2);
    expect(await closed).toBe(1006);
    await expect.poll(() => rig!.bridge.state.counters.wsClients).toBe(1);
    expect(c.closeCode).toBeNull();
  });
});
