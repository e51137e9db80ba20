// zod schemas of every device -> host message, derived from the declaration table (protocol/messages.ts).
// The bridge runs them after decode(): a second, independent check of the decoded object's shape.
import * as z from "zod";
import { DEVICE_MESSAGES, FAULT_TOKENS, MAX_CHANNELS, SEQ_FIELD, TEMP_MAX_CC, TEMP_MIN_CC, TEXT_FORBIDDEN, type DeviceMessage, type DeviceType, type Field } from "../../protocol";

const FAULTS = FAULT_TOKENS.filter((t) => t !== "") as [string, ...string[]];
const HEX_MAX = 0xffffffff;

/** True when every char is printable ASCII and none is a framing character (TEXT_FORBIDDEN). */
function isWireText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || TEXT_FORBIDDEN.indexOf(s[i]) >= 0) return false;
  }
  return true;
}

/** The zod schema of one declared field kind, with its bounds. */
export function fieldSchema(f: Field): z.ZodType {
  switch (f.k) {
    case "int":
      return z.int().min(f.min).max(f.max);
    case "enum":
      return z.enum(f.v as unknown as [string, ...string[]]);
    case "text":
      return z.string().min(f.min).max(f.max).refine(isWireText, "printable ASCII without $ , * \\");
    case "hex":
      return z.int().min(0).max(HEX_MAX);
    case "temps":
      return z.array(z.union([z.int().min(TEMP_MIN_CC).max(TEMP_MAX_CC), z.enum(FAULTS)])).min(1).max(MAX_CHANNELS);
  }
}

function messageSchema(type: string, fields: readonly Field[]) {
  const shape: Record<string, z.ZodType> = { type: z.literal(type), seq: fieldSchema(SEQ_FIELD) };
  for (const f of fields) shape[f.n] = fieldSchema(f);
  return z.strictObject(shape);
}

/**
 * Validations of one type run by zod's interpreter before its schema is compiled. z.compile generates a
 * specialised validator (about 10x faster: ~0.15 us per 8-channel R line; it falls back to the runtime parser for
 * the error report, so both give the same result) but generating all of them took ~10 ms at every start, before the
 * first reading: the handshake's few lines go through the interpreter, the stream's through the compiled validator.
 */
export const COMPILE_AFTER_USES = 32;

const table = DEVICE_MESSAGES as unknown as Record<string, readonly Field[]>;

/** One schema per device message type, keyed by type token. */
export const DEVICE_MESSAGE_SCHEMAS: { readonly [T in DeviceType]: z.ZodObject } = Object.fromEntries(
  Object.keys(table).map((t) => [t, messageSchema(t, table[t])]),
) as unknown as { [T in DeviceType]: z.ZodObject };

/** Any device message (discriminated on `type`). */
export const DeviceMessageSchema = z.discriminatedUnion(
  "type",
  Object.values(DEVICE_MESSAGE_SCHEMAS) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/**
 * Validates a decoded device message (no copy: the object is returned as is when valid; decode()
 * already builds exactly the declared fields). Returns the message, or the first issue's path and code.
 */
export function validateDeviceMessage(msg: unknown): { ok: true; msg: DeviceMessage } | { ok: false; path: string; code: string } {
  const type = (msg as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(DEVICE_MESSAGE_SCHEMAS, type)) return { ok: false, path: "type", code: "invalid_union" };
  const schema = schemaFor(type as DeviceType);
  const r = schema.safeParse(msg);
  if (r.success) return { ok: true, msg: msg as DeviceMessage };
  const issue = r.error.issues[0];
  return { ok: false, path: issue.path.join("."), code: issue.code };
}

/** Per type: the compiled schema once it has been used COMPILE_AFTER_USES times, else the use count so far. */
const compiled: { [T in DeviceType]?: z.ZodObject | number } = {};

/** The schema to validate a `type` message with: interpreted for its first uses, compiled after. */
function schemaFor(type: DeviceType): z.ZodObject {
  const c = compiled[type] ?? 0;
  if (typeof c !== "number") return c;
  if (c + 1 < COMPILE_AFTER_USES) {
    compiled[type] = c + 1;
    return DEVICE_MESSAGE_SCHEMAS[type];
  }
  const schema = z.compile(DEVICE_MESSAGE_SCHEMAS[type]);
  compiled[type] = schema;
  return schema;
}
