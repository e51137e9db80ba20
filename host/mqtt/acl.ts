// Mosquitto access control for a site: each room's user writes only its own subtree, the central station reads everything.
import { TOPIC_ROOT } from "./topics";

/** One room's broker account. */
export interface RoomAccount {
  site: string;
  room: string;
  /** Broker user name of that room's bridge. */
  user: string;
}

/** Broker user name of the central station in the generated examples. */
export const CENTRAL_USER = "central";

/**
 * Text of a Mosquitto acl_file: a room's bridge reads and writes thermoguard/v1/<site>/<room>/# only (it reads its
 * cmd/ack there); the central station reads everything and writes only the rooms' cmd/ack.
 */
export function mosquittoAcl(rooms: readonly RoomAccount[], centralUser = CENTRAL_USER): string {
  const lines = [
    "# thermoguard: one user per room, one for the central station (mosquitto.conf: acl_file <this file>)",
    `user ${centralUser}`,
    `topic read ${TOPIC_ROOT}/#`,
    `topic write ${TOPIC_ROOT}/+/+/+/cmd/ack`,
    "",
  ];
  for (const r of rooms) lines.push(`user ${r.user}`, `topic readwrite ${TOPIC_ROOT}/${r.site}/${r.room}/#`, "");
  return lines.join("\n");
}
