// Protocol-wide constants: version, size caps, value ranges.

/** Protocol major version: a peer with another major is refused. */
export const PROTOCOL_MAJOR = 1;
/** Protocol minor version: differences are tolerated (new optional behaviour only). */
export const PROTOCOL_MINOR = 0;
/** Longest line on the wire in bytes, terminator ("\n" or "\r\n") included. Enforced by both ends. */
export const MAX_LINE_BYTES = 160;
/** Longest frame (from "$" to the last CRC digit), leaving room for "\r\n". */
export const MAX_FRAME_BYTES = MAX_LINE_BYTES - 2;
/** Most channels a device may have. */
export const MAX_CHANNELS = 8;
/** Lowest temperature on the wire, centi-degC (-270.00 degC, the thermocouple floor). */
export const TEMP_MIN_CC = -27000;
/** Highest temperature on the wire, centi-degC (1800.00 degC, the MAX31855 ceiling). */
export const TEMP_MAX_CC = 180000;
/** Largest sequence number / counter: 2^32 - 1 (at 20 lines/s that is 6.8 years). */
export const SEQ_MAX = 4294967295;
/** Largest unsigned integer any field carries: 2^53 - 1, exact in a double on both ends. */
export const UINT_MAX = 9007199254740991;
/** Characters a text field may not contain: framing characters and the backslash. */
export const TEXT_FORBIDDEN = "$,*\\";
