// The MQTT topic tree: thermoguard/v1/<site>/<room>/<deviceId>/<kind>, built and parsed in one place.

/** A room with no message for this long is silent: a high-priority technical alarm at the central station (IEC 60601-1-8 distributed alarm system). */
export const ROOM_SILENT_AFTER_MS = 3000;

/** Every topic starts with this (the version is the payloads' major version, MQTT_API_VERSION). */
export const TOPIC_ROOT = "thermoguard/v1";

/** What a bridge publishes under its device's base topic, and the commands it listens to. */
export const PUBLISHED_KINDS = ["status", "readings", "alarms", "doses", "events", "link"] as const;
/** Topics a central station writes to (the bridge subscribes to its own) and the bridge's answers. */
export const COMMAND_KINDS = ["cmd/ack", "cmd/result"] as const;

export type PublishedKind = (typeof PUBLISHED_KINDS)[number];
export type TopicKind = PublishedKind | (typeof COMMAND_KINDS)[number];

/** Where one room's device publishes. */
export interface RoomAddress {
  site: string;
  room: string;
  deviceId: string;
}

/** A site, room or device name usable as one topic level: 1-64 of A-Z a-z 0-9 _ . - (no MQTT wildcards, no "/"). */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why `name` cannot be a topic level, or null when it can. */
export function nameProblem(name: string): string | null {
  return NAME_PATTERN.test(name) ? null : `"${name}" is not usable in an MQTT topic: use 1-64 letters, digits, "_", "." or "-"`;
}

/** A device id made safe for a topic level (device ids are printable ASCII; anything else becomes "_"). */
export function topicSafe(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
  return s === "" ? "_" : s;
}

/** "thermoguard/v1/<site>/<room>/<deviceId>" */
export function baseTopic(a: RoomAddress): string {
  return `${TOPIC_ROOT}/${a.site}/${a.room}/${topicSafe(a.deviceId)}`;
}

/** The full topic of one kind for one room's device. */
export function topicOf(a: RoomAddress, kind: TopicKind): string {
  return baseTopic(a) + "/" + kind;
}

/** Key of a room's device, "<site>/<room>/<deviceId>", as the central station names it. */
export function roomKey(a: RoomAddress): string {
  return `${a.site}/${a.room}/${a.deviceId}`;
}

/** Splits a topic of the tree into its address and kind; null for anything else. */
export function parseTopic(topic: string): (RoomAddress & { kind: TopicKind }) | null {
  if (!topic.startsWith(TOPIC_ROOT + "/")) return null;
  const parts = topic.slice(TOPIC_ROOT.length + 1).split("/");
  if (parts.length < 4 || parts.length > 5) return null;
  const [site, room, deviceId, ...rest] = parts;
  const kind = rest.join("/");
  if (![...PUBLISHED_KINDS, ...COMMAND_KINDS].includes(kind as TopicKind)) return null;
  return { site: site, room: room, deviceId: deviceId, kind: kind as TopicKind };
}

/** Subscription a central station uses for every room of every site. */
export const ALL_ROOMS_FILTER = TOPIC_ROOT + "/+/+/+/+";
/** Subscription for the bridges' command answers. */
export const ALL_RESULTS_FILTER = TOPIC_ROOT + "/+/+/+/cmd/result";
