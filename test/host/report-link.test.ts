// The dashboard's report link: recording.reportUrl says where the live report is; HEAD checks it without building it.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startRig, type Rig } from "./helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

/** HEAD with a chosen Host header (fetch does not let one set it). */
function headStatus(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "HEAD", headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("report link", () => {
  it("while recording: snapshot and status carry reportUrl /report; HEAD answers 200 without a body, GET serves the report", async () => {
    rig = await startRig();
    const c = await rig.connect();
    const status = await c.waitFor((m): m is Of<"status"> => m.type === "status" && m.recording.active, 5000);
    expect(status.recording.reportUrl).toBe("/report");
    const late = await rig.connect();
    const snap = await late.waitFor((m): m is Of<"snapshot"> => m.type === "snapshot");
    expect(snap.recording).toMatchObject({ active: true, reportUrl: "/report" });

    const url = new URL(snap.recording.reportUrl!, rig.bridge.url);
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await head.text()).toBe("");
    // the dashboard's own relative link ("report" from /) resolves to the same route
    expect(new URL("report", rig.bridge.url).href).toBe(url.href);
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain("FAKE-01");
    // the route still checks Host like every other
    expect(await headStatus(url, "evil.example:80")).toBe(403);
  });

  it("without recording: reportUrl null, HEAD and GET /report 404", async () => {
    rig = await startRig({}, { recordDir: null });
    const c = await rig.connect();
    const snap = await c.waitFor((m): m is Of<"snapshot"> => m.type === "snapshot");
    expect(snap.recording).toMatchObject({ active: false, reportUrl: null });
    const status = await c.next((m): m is Of<"status"> => m.type === "status", 3000);
    expect(status.recording.reportUrl).toBeNull();
    const url = new URL("/report", rig.bridge.url);
    expect((await fetch(url, { method: "HEAD" })).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
  });
});
