// The bridge's counters (serial and WebSocket side), one mutable object shared by the pipeline stages.
import type { Counters } from "./domain-schemas";

/** A fresh set of counters, all zero. */
export function createCounters(): Counters {
  return {
    lines: 0,
    badLines: {},
    droppedBytes: 0,
    readGaps: 0,
    readMissing: 0,
    resendRequests: 0,
    readRecovered: 0,
    readLost: 0,
    readDuplicates: 0,
    alarmLines: 0,
    alarmRetransmits: 0,
    alarmHeld: 0,
    otherGaps: 0,
    commandsSent: 0,
    commandsAcked: 0,
    commandsNaked: 0,
    commandsTimedOut: 0,
    reconnects: 0,
    reboots: 0,
    wsClients: 0,
    wsDroppedRows: 0,
    wsSlowDisconnects: 0,
    wsBadMessages: {},
    wsRateLimited: {},
    wsAuthFailures: 0,
    wsAuthLockedOut: 0,
    wsGuardCloses: {},
    wsRepliesDropped: 0,
    wsSnapshotsBuilt: 0,
    wsSnapshotsSent: 0,
    commandsRefused: {},
  };
}

/** Adds one to byCode[code]; at most 16 keys (then "OTHER"), so no client can grow the object. */
export function countByCode(byCode: Record<string, number>, code: string): void {
  const key = code in byCode || Object.keys(byCode).length < 16 ? code : "OTHER";
  byCode[key] = (byCode[key] ?? 0) + 1;
}

/** Adds one to counters.wsBadMessages[code]. */
export function countBadWsMessage(c: Counters, code: string): void {
  // Codes are ours or the ws library's (a handful).
  countByCode(c.wsBadMessages, code);
}

/** Adds one to counters.badLines[reason]. */
export function countBadLine(c: Counters, reason: string): void {
  c.badLines[reason] = (c.badLines[reason] ?? 0) + 1;
}
