// Over a running bridge: the live report says "in progress", /recordings lists the live file, and a report request never stops the bridge.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../../host/ws/ws-messages";
import { startRig, type Rig } from "../helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

describe("report routes on a bridge", () => {
  it("GET /report is in progress, /recordings lists the live file, /report?file= of it and a refused name leave the bridge relaying", async () => {
    rig = await startRig();
    const c = await rig.connect();
    const status = await c.waitFor((m): m is Of<"status"> => m.type === "status" && m.recording.active, 5000);
    const live = await fetch(new URL("/report", rig.bridge.url));
    expect(live.status).toBe(200);
    const page = await live.text();
    expect(page).toContain("In progress: this recording is still being written");
    expect(page).not.toContain("stopped abruptly");

    const list = (await (await fetch(new URL("/recordings", rig.bridge.url))).json()) as { recordings: { name: string; live: boolean; reportUrl: string; deviceId: string | null }[] };
    const name = path.basename(status.recording.file!);
    expect(list.recordings.find((r) => r.live)).toMatchObject({ name, deviceId: "FAKE-01", reportUrl: "/report?file=" + name });
    expect((await fetch(new URL(`/report?file=${name}`, rig.bridge.url))).status).toBe(200);
    expect((await fetch(new URL("/report?file=..%2F..%2Fetc%2Fpasswd", rig.bridge.url))).status).toBe(400);
    // Readings still flow after the reports.
    await c.next((m): m is Of<"readings"> => m.type === "readings", 3000);
  }, 30_000);
});
