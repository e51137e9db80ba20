// GET /recordings (the index, newest first) and GET /report?file=<name> (strict names: no traversal, no symlink, no folder; errors are codes, never a dead server).
import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Recorder } from "../../../host/record/recorder";
import { isRecordingName } from "../../../host/record/recording-index";
import { handleRecordRoute } from "../../../host/ws/report-route";

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const OLD = "2026-11-21T08-00-00Z_TG-1_case-1.ndjson";
const NEW = "2026-11-22T08-00-00Z_TG-1_case-2.ndjson";
const startLine = (atMs: number, session: string) => JSON.stringify({ k: "start", atMs, format: 1, bridge: "t", device: { deviceId: "TG-1", fw: "1", bootId: "0000002A", major: 1, minor: 0, channels: 1, rateHz: 10, session, schemaHash: "0", schemaMatches: true, restored: false, port: null }, channels: [{ ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31855" }], limits: null, alarms: [], doses: [] });

let root = "";
let dir = "";
let server: Server;
let base = "";
const status = { active: true, file: "" as string | null };
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "tg-recordings-"));
  dir = path.join(root, "rec");
  await mkdir(dir);
  await writeFile(path.join(root, "secret.ndjson"), startLine(T0, "outside") + "\n");
  await writeFile(path.join(dir, OLD), startLine(T0 - 86_400_000, "case-1") + "\n" + JSON.stringify({ k: "r", atMs: T0 - 86_400_000, seq: 0, tMs: 0, v: [4123] }) + "\n");
  await utimes(path.join(dir, OLD), new Date(T0 - 86_000_000), new Date(T0 - 86_000_000));
  await writeFile(path.join(dir, NEW), startLine(T0, "case-2") + "\n" + JSON.stringify({ k: "case", atMs: T0, fields: { caseId: "P-7" } }) + "\n");
  await symlink(path.join(root, "secret.ndjson"), path.join(dir, "link.ndjson"));
  await mkdir(path.join(dir, "folder.ndjson"));
  status.file = path.join(dir, NEW);
  const recorder = { dir, status, flush: async () => {} } as unknown as Recorder;
  server = createServer((req, res) => {
    if (!handleRecordRoute(recorder, req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await rm(root, { recursive: true, force: true });
});

describe("recordings routes", () => {
  it("GET /recordings lists the record folder's files newest first, with start, device, session, case id, live flag and report URL", async () => {
    const res = await fetch(base + "/recordings");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { recordings: Record<string, unknown>[]; truncated: boolean };
    const files = body.recordings.filter((r) => r.name !== "link.ndjson");
    expect(files).toEqual([
      expect.objectContaining({ name: NEW, startAtMs: T0, deviceId: "TG-1", session: "case-2", caseId: "P-7", live: true, reportUrl: "/report?file=" + NEW }),
      expect.objectContaining({ name: OLD, startAtMs: T0 - 86_400_000, session: "case-1", caseId: null, live: false, reportUrl: "/report?file=" + OLD }),
    ]);
    expect(body.recordings.map((r) => r.name)).not.toContain("folder.ndjson");
    expect(body.recordings.map((r) => r.name)).not.toContain("link.ndjson"); // a symlink is not a recording
    expect(body.truncated).toBe(false);
  });

  it("GET /report?file= serves a past recording's report; GET /report the live one", async () => {
    const old = await fetch(`${base}/report?file=${OLD}`);
    expect(old.status).toBe(200);
    expect(await old.text()).toContain("41.23 °C");
    const live = await fetch(`${base}/report`);
    expect(live.status).toBe(200);
    expect(await live.text()).toContain("In progress");
  });

  it("refuses names that are not a plain recording name (400 BAD_NAME), and files that are not regular files in the folder (404 NO_RECORDING)", async () => {
    for (const name of ["../secret.ndjson", "..%2Fsecret.ndjson", "%2e%2e/secret.ndjson", "/etc/passwd", "a/b.ndjson", "x.html", ".hidden.ndjson", "a..b.ndjson", "x".repeat(200) + ".ndjson", ""]) {
      const res = await fetch(`${base}/report?file=${name}`);
      expect([res.status, name]).toEqual([400, name]);
      expect(await res.text()).toMatch(/^BAD_NAME: /);
    }
    for (const name of ["link.ndjson", "folder.ndjson", "missing.ndjson"]) {
      const res = await fetch(`${base}/report?file=${name}`);
      expect([res.status, name]).toEqual([404, name]);
      expect(await res.text()).toMatch(/^NO_RECORDING: /);
    }
    expect(isRecordingName(NEW)).toBe(true);
  });

  it("a report that cannot be built is a 500 with a code, and the server goes on serving", async () => {
    status.file = path.join(dir, "folder.ndjson"); // the live file is unreadable (a folder)
    const res = await fetch(`${base}/report`);
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^REPORT_FAILED: /);
    status.file = path.join(dir, NEW);
    expect((await fetch(`${base}/report`)).status).toBe(200);
  });

  it("HEAD answers the status without a body; other paths are left to the caller", async () => {
    const h = await fetch(`${base}/report?file=${OLD}`, { method: "HEAD" });
    expect(h.status).toBe(200);
    expect((await fetch(`${base}/report?file=nope.ndjson`, { method: "HEAD" })).status).toBe(404);
    expect((await fetch(`${base}/other`)).status).toBe(418);
    expect((await fetch(`${base}/report`, { method: "POST" })).status).toBe(418);
  });
});

describe("report concurrency", () => {
  it("a second report while one is being built is 503 REPORT_BUSY with Retry-After, and the first completes", async () => {
    const replies: { status: number; headers: Record<string, string>; body: string }[] = [];
    const done: Promise<void>[] = [];
    const fakeRes = (method: string) => {
      let resolve!: () => void;
      done.push(new Promise<void>((r) => (resolve = r)));
      const res = {
        req: { method },
        headersSent: false,
        writeHead(status: number, headers: Record<string, string>) {
          replies.push({ status, headers, body: "" });
          res.headersSent = true;
          return { end: (body?: string) => ((replies[replies.length - 1].body = body ?? ""), resolve()) };
        },
        destroy: () => resolve(),
      };
      return res;
    };
    const recorder = { dir, status: { active: true, file: path.join(dir, NEW) }, flush: async () => {} } as unknown as Recorder;
    const req = { method: "GET", url: "/report" };
    handleRecordRoute(recorder, req as never, fakeRes("GET") as never);
    handleRecordRoute(recorder, req as never, fakeRes("GET") as never);
    await Promise.all(done);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 503]);
    const busy = replies.find((r) => r.status === 503)!;
    expect(busy.headers["retry-after"]).toBe("5");
    expect(busy.body).toMatch(/^REPORT_BUSY: /);
  });
});
