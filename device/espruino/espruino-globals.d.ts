// Timer globals the Espruino firmware provides (the device build is type-checked without DOM or Node types).

/** Espruino's setTimeout: calls `cb` once after `ms` milliseconds; returns a timer id. */
declare function setTimeout(cb: () => void, ms: number): number;
/** Espruino's clearTimeout: cancels a timer set by setTimeout. */
declare function clearTimeout(id: number): void;
