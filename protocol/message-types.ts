// TypeScript types of every message, derived from the declaration table in messages.ts.
import type { Field, FieldValue } from "./fields";
import type { DEVICE_MESSAGES, HOST_MESSAGES } from "./messages";

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type FieldsObject<Fs extends readonly Field[]> = { [F in Fs[number] as F["n"]]: FieldValue<F> };

type DeviceTable = typeof DEVICE_MESSAGES;
type HostTable = typeof HOST_MESSAGES;
type Table = DeviceTable & HostTable;

/** Wire type token of a device -> host message. */
export type DeviceType = keyof DeviceTable;
/** Wire type token of a host -> device command. */
export type HostType = keyof HostTable;
/** Any wire type token. */
export type MessageType = DeviceType | HostType;

/** The decoded form of message type T: its type token, seq (command id for commands) and named fields. */
export type MessageOf<T extends MessageType> = Simplify<{ type: T; seq: number } & FieldsObject<Table[T]>>;

export type DeviceMessage = { [T in DeviceType]: MessageOf<T> }[DeviceType];
export type HostMessage = { [T in HostType]: MessageOf<T> }[HostType];
export type Message = DeviceMessage | HostMessage;

export type Hello = MessageOf<"HI">;
export type ChannelInfo = MessageOf<"CH">;
export type Limits = MessageOf<"LM">;
export type Reading = MessageOf<"R">;
export type Dose = MessageOf<"D">;
export type AlarmEvent = MessageOf<"A">;
export type Status = MessageOf<"S">;
export type Ack = MessageOf<"K">;
export type Nak = MessageOf<"N">;
export type Role = ChannelInfo["role"];
export type Condition = AlarmEvent["cond"];
export type LimitParam = MessageOf<"LIM">["param"];
export type NakReason = Nak["reason"];
