// What a room publishes (the MQTT publisher's side), and the adapter from the bridge's updates to it.
import type { BridgeUpdate } from "../domain/bridge-updates";
import type { Alarm, Channel, DeviceInfo, Dose, Limits, Link, ReadingRow } from "../ws/ws-messages";
import type { AlarmTransition } from "../state/alarm-book";
import type { EventKind } from "./mqtt-messages";

/** What a room's publisher is told: everything the bridge learns, as it learns it; none of these may block. */
export interface RoomOutput {
  device(device: DeviceInfo | null, channels: Channel[], limits: Limits | null): void;
  link(link: Link): void;
  readings(rows: ReadingRow[]): void;
  alarm(action: AlarmTransition["action"], alarm: Alarm): void;
  doses(doses: Dose[]): void;
  event(kind: EventKind, text: string, atMs: number, session: string | null): void;
  /** The step is over: send what is due at nowMs (the calls above only queue). */
  flush(nowMs: number): void;
}

/** Feeds a RoomOutput from the bridge's updates (what the relay broadcasts), deriving session start / end. */
export class MessageFeed {
  private session: string | null | undefined = undefined;

  constructor(private readonly out: RoomOutput) {}

  /** One step's updates, in order, then one flush at the step's time (also for a step with no updates: a due batch or heartbeat goes out). */
  feed(msgs: readonly BridgeUpdate[], nowMs = Date.now()): void {
    for (const m of msgs) {
      switch (m.type) {
        case "device": {
          const s = m.device ? m.device.session : null;
          if (this.session !== undefined && s !== this.session) {
            if (this.session !== null) this.out.event("session-end", this.session, nowMs, s);
            if (s !== null) this.out.event("session-start", s, nowMs, s);
          }
          this.session = s;
          this.out.device(m.device, m.channels, m.limits);
          break;
        }
        case "link":
          this.out.link(m.link);
          break;
        case "readings":
          this.out.readings(m.rows);
          break;
        case "alarm":
          this.out.alarm(m.action, m.alarm);
          if (m.action === "ACK") this.out.event("ack", m.alarm.key, m.alarm.changedAtMs, this.session ?? null);
          break;
        case "dose":
          this.out.doses(m.doses);
          break;
        case "event":
          this.out.event("mark", m.event.text, m.event.atMs, this.session ?? null);
          break;
        default:
          break;
      }
    }
    this.out.flush(nowMs);
  }
}
