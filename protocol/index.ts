// Public surface of the protocol package: constants, declaration, codec, splitter, hash, limits.
export * from "./constants";
export * from "./fields";
export * from "./messages";
export type * from "./message-types";
export { encode, frame } from "./encode";
export { decode, decodeWith, type DecodeErrorCode, type DecodeResult, type MessageTable } from "./decode";
export { crc32, hex8 } from "./crc32";
export { intToText, textToInt } from "./int-text";
export { LineAssembler } from "./line-assembler";
export { schemaHash, schemaText } from "./schema-hash";
export * from "./limits";
export { LIMIT_DOCS } from "./limit-docs";
export { SCHEMA_HASH } from "./schema-hash-value";
