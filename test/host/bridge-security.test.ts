// WebSocket / http guard: Origin allowlist, Host names (DNS rebinding), token, payload cap.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startRig, type Rig } from "./helpers/rig";
import { TestClient } from "./helpers/ws-client";
import { readAll } from "../reliability/support/recording";

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
    expect(await c.command(4, { name: "pause", seconds: 10 }, "test-token-0123456789")).toMatchObject({ ok: true, outcome: "ACK" });
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

describe("token guesses", () => {
  it("after 5 wrong tokens the address is locked out: even the right token is not compared until the wait is over, on any connection from it", async () => {
    rig = await startRig();
    const k = rig.bridge.state.counters;
    const a = await rig.connect();
    for (let i = 0; i < 5; i++) {
      a.send({ type: "hello", token: "guess-" + i });
      expect(await a.next((m) => m.type === "auth")).toEqual({ type: "auth", control: false });
    }
    a.send({ type: "hello", token: "test-token-0123456789" });
    const locked = await a.next((m) => m.type === "auth");
    expect(locked).toMatchObject({ control: false, retryAfterMs: expect.any(Number) });
    expect((locked as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((locked as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(1000);
    // A fresh connection from the same address is locked too; the command's own token is not compared either.
    const b = await rig.connect();
    expect(await b.command(1, { name: "pause", seconds: 10 }, "test-token-0123456789")).toMatchObject({ ok: false, outcome: "REFUSED", reason: "LOCKED_OUT" });
    expect(rig.device.received.filter((m) => m.type === "PAUSE")).toHaveLength(0);
    expect({ failures: k.wsAuthFailures, lockedOut: k.wsAuthLockedOut, refused: k.commandsRefused }).toEqual({ failures: 5, lockedOut: 2, refused: { LOCKED_OUT: 1 } });
    // Once the wait is over, the right token works.
    await new Promise((r) => setTimeout(r, (locked as { retryAfterMs: number }).retryAfterMs + 50));
    b.send({ type: "hello", token: "test-token-0123456789" });
    expect(await b.next((m) => m.type === "auth")).toEqual({ type: "auth", control: true });
  });

  it("4 connections sending 200 wrong tokens each as fast as they can: 5 compared in all, the rest refused or dropped", async () => {
    rig = await startRig({}, { wsLimits: { auth: { freeFailures: 5, baseLockMs: 60_000, maxLockMs: 60_000, forgetAfterMs: 900_000, maxKeys: 4096 } } });
    const k = rig.bridge.state.counters;
    const conns = await Promise.all([0, 1, 2, 3].map(() => rig!.connect()));
    for (let i = 0; i < 200; i++) for (const c of conns) c.send({ type: "hello", token: `guess-${i}-xxxxxxxxxxxx` });
    // Every connection answers its last parsed hello; the frames over the rate are dropped (one notice each).
    await expect.poll(() => (k.wsRateLimited.frame ?? 0) + k.wsAuthFailures + k.wsAuthLockedOut, { timeout: 10_000 }).toBe(800);
    expect(k.wsAuthFailures).toBe(5);
    expect(k.wsAuthLockedOut).toBeGreaterThanOrEqual(4 * 50 - 5);
    expect(conns.flatMap((c) => c.messages).filter((m) => m.type === "auth" && m.control)).toEqual([]);
    expect(conns.map((c) => c.closeCode)).toEqual([null, null, null, null]);
  });
});

describe("commands and the recording", () => {
  it("a viewer's 200 refused commands leave no line in the recording; the one accepted command is recorded once with its ACK", async () => {
    rig = await startRig({}, { wsLimits: { rate: { frames: { burst: 1000, perSecond: 1000 }, resync: { burst: 3, perSecond: 0.2 }, command: { burst: 1000, perSecond: 1000 }, floodCloseDrops: 500 } } });
    const viewer = await rig.connect();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => viewer.command(i, { name: "mark", text: "spam " + i })));
    expect(new Set(results.map((r) => r.reason))).toEqual(new Set(["UNAUTHORIZED"]));
    const control = await rig.connect();
    expect(await control.command("p", { name: "pause", seconds: 30 }, "test-token-0123456789")).toMatchObject({ ok: true, outcome: "ACK" });
    expect(rig.bridge.state.counters.commandsRefused).toEqual({ UNAUTHORIZED: 200 });
    await rig.bridge.close(); // flushed; the rig removes the folder afterwards
    const cmds = (await readAll(rig.bridge.recorder!.dir)).filter((r) => r.k === "cmd");
    expect(cmds).toEqual([expect.objectContaining({ k: "cmd", id: "p", outcome: "ACK", command: { name: "pause", seconds: 30 } })]);
  });
});
