// WebSocket close codes the bridge uses, each with one meaning (RFC 6455 section 7.4; 4000-4999 are the application's own).

/** The bridge is shutting down. */
export const WS_CLOSE_GOING_AWAY = 1001;
/** The client cannot keep up: its send buffer is over the hard cap, or an alarm waited too long behind its backlog. */
export const WS_CLOSE_TOO_SLOW = 1008;
/** A frame over the payload cap (sent by the ws library). */
export const WS_CLOSE_TOO_BIG = 1009;
/** Too many connections (from this address, or in total): try again later. */
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;
/** The client sent far more than its rate allows (a run of dropped frames): closed as a flood. */
export const WS_CLOSE_FLOOD = 4429;
