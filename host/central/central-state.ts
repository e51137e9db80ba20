// The central station's picture of every room, fed by MQTT messages with explicit times (pure: no clock, no I/O).
import { AlarmPayload, DosesPayload, EventPayload, LinkPayload, ReadingsPayload, StatusPayload, AckResult } from "../mqtt/mqtt-messages";
import { parseTopic, ROOM_SILENT_AFTER_MS as SILENT_AFTER_MS, roomKey } from "../mqtt/topics";
import type { Alarm, Channel, Dose, Limits, LinkState, ReadingRow } from "../ws/ws-messages";

export { SILENT_AFTER_MS };
/** Alarm transitions kept in the cross-room log. */
export const CENTRAL_LOG_SIZE = 500;
/** Most rooms tracked; messages for more (a misconfigured or hostile publisher) are counted as bad topics. */
export const MAX_ROOMS = 1000;
/** Procedure events kept per room. */
export const ROOM_EVENTS_KEPT = 50;

const DECODER = new TextDecoder();

type Prio = "H" | "M" | "L";
const RANK: Record<Prio, number> = { L: 1, M: 2, H: 3 };

/** An alarm as the central station lists it: a room's alarm, or its own ROOM_SILENT. */
export interface CentralAlarm {
  room: string;
  key: string;
  source: Alarm["source"] | "central";
  cond: string;
  ch: number;
  prio: Prio;
  kind: "P" | "T";
  active: boolean;
  acked: boolean;
  raisedAtMs: number;
  changedAtMs: number;
  text: string;
}

/** One transition in the cross-room log. */
export interface CentralLogEntry {
  atMs: number;
  room: string;
  key: string;
  action: string;
  cond: string;
  prio: Prio;
  text: string;
}

/** What a room's tile shows. */
export interface RoomTile {
  room: string;
  site: string;
  name: string;
  deviceId: string;
  online: boolean;
  offlineReason: StatusPayload["reason"];
  silent: boolean;
  session: string | null;
  firmware: string | null;
  link: LinkState;
  /** Highest nerve-channel temperature of the newest reading, centi-degC, its label and the limits it is held to. */
  worstNerveCc: number | null;
  worstNerveLabel: string | null;
  interveneCc: number | null;
  stopCc: number | null;
  /** Highest priority among the room's alarms that are active or unacknowledged (with ROOM_SILENT). */
  topPrio: Prio | null;
  /** Whether that alarm still asks for attention (flashing): unacknowledged, not low priority. */
  flashing: boolean;
  alarmCount: number;
  /** Dose nearest its limit, permille, and which dose (t42, t70, cem43) on which channel. */
  nearestDosePm: number | null;
  nearestDose: string | null;
  /** Age of the room's newest reading at the central station, ms (null: none yet). */
  dataAgeMs: number | null;
  /** Reading rows missing in the seq sequence here, and rows the bridge reported dropped while its broker was away. */
  missingRows: number;
  droppedRows: number;
}

/** The read-only view of one room. */
export interface RoomDetail {
  tile: RoomTile;
  channels: Channel[];
  limits: Limits | null;
  lastRow: ReadingRow | null;
  doses: Dose[];
  alarms: CentralAlarm[];
  events: EventPayload[];
}

/** Counters of what arrived. */
export interface CentralCounters {
  messages: number;
  badTopics: number;
  badPayloads: number;
  /** QoS 1 duplicates (n already seen) and n jumps (alarm / event messages that never arrived). */
  duplicates: number;
  orderGaps: number;
}

interface Room {
  key: string;
  site: string;
  name: string;
  deviceId: string;
  status: StatusPayload | null;
  lastMsgMs: number;
  lastReadingMs: number | null;
  lastRow: ReadingRow | null;
  lastSeq: number;
  bootId: string | null;
  missingRows: number;
  droppedRows: number;
  alarms: Map<string, CentralAlarm>;
  doses: Map<number, Dose>;
  events: EventPayload[];
  lastN: number;
  run: string;
  link: LinkState;
  silent: boolean;
}

const PAYLOADS = { status: StatusPayload, readings: ReadingsPayload, alarms: AlarmPayload, doses: DosesPayload, events: EventPayload, link: LinkPayload, "cmd/result": AckResult } as const;

/** Every room, fed by apply() and tick(); every alarm change is also logged in time order. */
export class CentralState {
  private readonly rooms = new Map<string, Room>();
  readonly log: CentralLogEntry[] = [];
  readonly counters: CentralCounters = { messages: 0, badTopics: 0, badPayloads: 0, duplicates: 0, orderGaps: 0 };
  /** Answers to acknowledgements sent from here, by request id. */
  readonly ackResults = new Map<string, AckResult>();
  /** Bumped on every change a display shows (not on mere ageing). */
  version = 0;

  /** One MQTT message. Bad topics and payloads are counted, never thrown. */
  apply(topic: string, payload: Uint8Array | string, nowMs: number): void {
    this.counters.messages++;
    const t = parseTopic(topic);
    if (!t || t.kind === "cmd/ack") {
      if (!t) this.counters.badTopics++;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof payload === "string" ? payload : DECODER.decode(payload));
    } catch {
      this.counters.badPayloads++;
      return;
    }
    const parsed = PAYLOADS[t.kind].safeParse(json);
    if (!parsed.success) {
      this.counters.badPayloads++;
      return;
    }
    if (t.kind === "cmd/result") {
      const r = parsed.data as AckResult;
      this.ackResults.set(r.id, r);
      if (this.ackResults.size > 100) this.ackResults.delete(this.ackResults.keys().next().value!);
      this.version++;
      return;
    }
    const room = this.room(t.site, t.room, t.deviceId);
    if (!room) {
      this.counters.badTopics++;
      return;
    }
    room.lastMsgMs = nowMs;
    switch (t.kind) {
      case "status":
        this.onStatus(room, parsed.data as StatusPayload, nowMs);
        break;
      case "readings":
        this.onReadings(room, parsed.data as ReadingsPayload, nowMs);
        break;
      case "alarms":
        this.onAlarm(room, parsed.data as AlarmPayload);
        break;
      case "doses":
        for (const d of (parsed.data as DosesPayload).doses) room.doses.set(d.ch, d);
        break;
      case "events":
        this.onEvent(room, parsed.data as EventPayload);
        break;
      case "link":
        room.link = (parsed.data as LinkPayload).link.state;
        break;
    }
    this.version++;
    this.checkSilence(room, nowMs);
  }

  /** Periodic check: rooms silent for SILENT_AFTER_MS raise ROOM_SILENT. */
  tick(nowMs: number): void {
    for (const r of this.rooms.values()) this.checkSilence(r, nowMs);
  }

  /** Every room's tile, by site and room. */
  tiles(nowMs: number): RoomTile[] {
    return [...this.rooms.values()].sort((a, b) => a.key.localeCompare(b.key)).map((r) => this.tile(r, nowMs));
  }

  /** Alarms of every room that are active or unacknowledged, in time order (oldest raised first). */
  alarms(): CentralAlarm[] {
    const out: CentralAlarm[] = [];
    for (const r of this.rooms.values()) for (const a of r.alarms.values()) out.push(a);
    return out.sort((a, b) => a.raisedAtMs - b.raisedAtMs || a.room.localeCompare(b.room));
  }

  /** A room's read-only view; null for an unknown room. */
  detail(key: string, nowMs: number): RoomDetail | null {
    const r = this.rooms.get(key);
    if (!r) return null;
    return {
      tile: this.tile(r, nowMs),
      channels: r.status?.channels ?? [],
      limits: r.status?.limits ?? null,
      lastRow: r.lastRow,
      doses: [...r.doses.values()],
      alarms: [...r.alarms.values()].sort((a, b) => a.raisedAtMs - b.raisedAtMs),
      events: r.events.slice(),
    };
  }

  /** Whether a room of that key is known. */
  has(key: string): boolean {
    return this.rooms.has(key);
  }

  private room(site: string, name: string, deviceId: string): Room | null {
    const key = roomKey({ site: site, room: name, deviceId: deviceId });
    let r = this.rooms.get(key);
    if (!r) {
      if (this.rooms.size >= MAX_ROOMS) return null;
      r = {
        key: key, site: site, name: name, deviceId: deviceId, status: null, lastMsgMs: 0, lastReadingMs: null, lastRow: null, lastSeq: -1, bootId: null,
        missingRows: 0, droppedRows: 0, alarms: new Map(), doses: new Map(), events: [], lastN: 0, run: "", link: "connecting", silent: false,
      };
      this.rooms.set(key, r);
    }
    return r;
  }

  private onStatus(r: Room, s: StatusPayload, nowMs: number): void {
    if (s.bootId !== r.bootId) {
      r.bootId = s.bootId;
      r.lastSeq = -1;
    }
    r.status = s;
    r.link = s.link;
    r.droppedRows = Math.max(r.droppedRows, s.counters.droppedRows);
    if (!s.online && s.reason === "stopped") this.setSilent(r, false, nowMs, ""); // a clean stop is an offline room, not a silent one
  }

  private onReadings(r: Room, p: ReadingsPayload, nowMs: number): void {
    r.droppedRows = Math.max(r.droppedRows, p.droppedRows);
    for (const row of p.rows) {
      if (row.resent) continue;
      if (r.lastSeq >= 0 && row.seq > r.lastSeq + 1) r.missingRows += row.seq - r.lastSeq - 1;
      if (row.seq > r.lastSeq) {
        r.lastSeq = row.seq;
        r.lastRow = row;
      }
    }
    r.lastReadingMs = nowMs;
  }

  /** n orders a run's alarms and events: a repeated n is a QoS 1 duplicate, a jump is a loss; a new run counts from 1. */
  private inOrder(r: Room, run: string, n: number): boolean {
    if (run !== r.run) {
      r.run = run;
      r.lastN = 0;
    }
    if (n <= r.lastN) {
      this.counters.duplicates++;
      return false;
    }
    if (n > r.lastN + 1) this.counters.orderGaps += n - r.lastN - 1;
    r.lastN = n;
    return true;
  }

  private onAlarm(r: Room, p: AlarmPayload): void {
    if (!this.inOrder(r, p.run, p.n)) return;
    const a = p.alarm;
    const ca: CentralAlarm = { room: r.key, key: a.key, source: a.source, cond: a.cond, ch: a.ch, prio: a.prio, kind: a.kind, active: a.active, acked: a.acked, raisedAtMs: a.raisedAtMs, changedAtMs: a.changedAtMs, text: a.text };
    if (p.action === "CLEAR") r.alarms.delete(a.key);
    else r.alarms.set(a.key, ca);
    this.addLog({ atMs: a.changedAtMs, room: r.key, key: a.key, action: p.action, cond: a.cond, prio: a.prio, text: a.text });
  }

  private onEvent(r: Room, e: EventPayload): void {
    if (!this.inOrder(r, e.run, e.n)) return;
    r.events.push(e);
    if (r.events.length > ROOM_EVENTS_KEPT) r.events.shift();
  }

  private checkSilence(r: Room, nowMs: number): void {
    const will = r.status !== null && !r.status.online && r.status.reason === "last-will";
    const quiet = nowMs - r.lastMsgMs > SILENT_AFTER_MS && !(r.status && !r.status.online && r.status.reason === "stopped");
    const why = will ? "bridge gone (Last Will)" : `no data for ${((nowMs - r.lastMsgMs) / 1000).toFixed(1)} s`;
    this.setSilent(r, will || quiet, nowMs, why);
  }

  private setSilent(r: Room, silent: boolean, nowMs: number, why: string): void {
    if (silent === r.silent) return;
    r.silent = silent;
    const key = "central:ROOM_SILENT";
    if (silent) {
      const a: CentralAlarm = { room: r.key, key: key, source: "central", cond: "ROOM_SILENT", ch: -1, prio: "H", kind: "T", active: true, acked: false, raisedAtMs: nowMs, changedAtMs: nowMs, text: `room ${r.name} silent: ${why}; its values are not live` };
      r.alarms.set(key, a);
      this.addLog({ atMs: nowMs, room: r.key, key: key, action: "RAISE", cond: "ROOM_SILENT", prio: "H", text: a.text });
    } else if (r.alarms.delete(key)) this.addLog({ atMs: nowMs, room: r.key, key: key, action: "CLEAR", cond: "ROOM_SILENT", prio: "H", text: `room ${r.name} back` });
    this.version++;
  }

  private addLog(e: CentralLogEntry): void {
    // Kept in time order: rooms' clocks and the broker interleave, so insert by atMs.
    let i = this.log.length;
    while (i > 0 && this.log[i - 1].atMs > e.atMs) i--;
    this.log.splice(i, 0, e);
    if (this.log.length > CENTRAL_LOG_SIZE) this.log.shift();
  }

  private tile(r: Room, nowMs: number): RoomTile {
    const s = r.status;
    let worst: number | null = null;
    let worstLabel: string | null = null;
    if (r.lastRow && s) {
      for (const c of s.channels) {
        if (c.role !== "nerve") continue;
        const v = r.lastRow.valuesCc[c.ch];
        if (typeof v === "number" && (worst === null || v > worst)) {
          worst = v;
          worstLabel = c.label;
        }
      }
    }
    let nearest: number | null = null;
    let nearestWhat: string | null = null;
    for (const d of r.doses.values()) {
      const label = s?.channels.find((c) => c.ch === d.ch)?.label ?? "ch" + d.ch;
      for (const [what, pm] of [["t42", d.t42Pm], ["t70", d.t70Pm], ["CEM43", d.cem43Pm]] as const) {
        if (nearest === null || pm > nearest) {
          nearest = pm;
          nearestWhat = `${label} ${what}`;
        }
      }
    }
    let top: Prio | null = null;
    let flashing = false;
    for (const a of r.alarms.values()) {
      if (!a.active && a.acked) continue;
      if (top === null || RANK[a.prio] > RANK[top]) {
        top = a.prio;
        flashing = false;
      }
      if (a.prio === top && !a.acked && a.prio !== "L") flashing = true;
    }
    return {
      room: r.key,
      site: r.site,
      name: r.name,
      deviceId: r.deviceId,
      online: s?.online ?? true,
      offlineReason: s?.reason ?? null,
      silent: r.silent,
      session: s?.session ?? null,
      firmware: s?.firmware ?? null,
      link: r.link,
      worstNerveCc: worst,
      worstNerveLabel: worstLabel,
      interveneCc: s?.limits?.interveneCc ?? null,
      stopCc: s?.limits?.stopCc ?? null,
      topPrio: top,
      flashing: flashing,
      alarmCount: r.alarms.size,
      nearestDosePm: nearest,
      nearestDose: nearestWhat,
      dataAgeMs: r.lastReadingMs === null ? null : nowMs - r.lastReadingMs,
      missingRows: r.missingRows,
      droppedRows: r.droppedRows,
    };
  }
}
