// The central station's own WebSocket protocol between its server and its page (zod: what a page may send is checked).
import * as z from "zod";
import type { AckResult } from "../mqtt/mqtt-messages";
import type { CentralAlarm, CentralCounters, CentralLogEntry, RoomDetail, RoomTile } from "./central-state";

/** Largest page -> server frame, bytes. */
export const CENTRAL_MAX_CLIENT_PAYLOAD_BYTES = 2048;

/** Show this room's read-only view too (null: none). */
export const WatchMsg = z.object({ type: z.literal("watch"), room: z.string().max(200).nullable() });
/** Acknowledge a room's alarm: relayed over MQTT to its bridge, which checks the token. */
export const CentralAckMsg = z.object({ type: z.literal("ack"), id: z.string().min(1).max(64), room: z.string().max(200), alarmKey: z.string().min(1).max(64), token: z.string().min(1).max(128) });
/** Every page -> server message. */
export const CentralClientMessage = z.discriminatedUnion("type", [WatchMsg, CentralAckMsg]);
export type CentralClientMessage = z.infer<typeof CentralClientMessage>;

/** Server -> page: the whole wall, a few times a second. */
export interface CentralViewMsg {
  type: "view";
  atMs: number;
  broker: { name: string; connected: boolean; error: string | null };
  tiles: RoomTile[];
  alarms: CentralAlarm[];
  log: CentralLogEntry[];
  counters: CentralCounters;
  room: RoomDetail | null;
}

/** Server -> page: how an acknowledgement went. */
export interface CentralAckResultMsg {
  type: "ackResult";
  id: string;
  ok: boolean;
  message: string;
  result: AckResult | null;
}

export type CentralServerMessage = CentralViewMsg | CentralAckResultMsg;
