// Espruino 2v29's one-byte token ids (src/jslex.h, enum LEX_TYPES): what a pretokenised bundle stores instead of operators, reserved words, strings and small integers.

/**
 * Multi-character operators, in LEX_TYPES order from `_LEX_TOKENS_START` (LEX_EQUAL = 138) to
 * LEX_ARROW_FUNCTION (162). Espruino's interpreter documents that this order never changes,
 * because its Web IDE pretokenises code with these ids.
 */
export const ESPRUINO_OPERATORS = [
  "==", "===", "!=", "!==", "<=", "<<", "<<=", ">=", ">>", ">>>", ">>=", ">>>=",
  "+=", "-=", "++", "--", "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>",
] as const;

/** Reserved words, in LEX_TYPES order from `_LEX_R_LIST_START` (LEX_R_IF = 163) to LEX_R_OF (198). */
export const ESPRUINO_RESERVED_WORDS = [
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const",
  "this", "throw", "try", "catch", "finally", "true", "false", "null", "undefined", "new", "in",
  "instanceof", "switch", "case", "default", "delete", "typeof", "void", "debugger", "class",
  "extends", "super", "static", "of",
] as const;

/** `_LEX_TOKENS_START`: the id of the first operator (LEX_EQUAL). */
export const LEX_OPERATORS_START = 138;
/** `_LEX_R_LIST_START`: the id of the first reserved word (LEX_R_IF). */
export const LEX_RESERVED_WORDS_START = LEX_OPERATORS_START + ESPRUINO_OPERATORS.length;
/** `??` (`_LEX_OPERATOR2_START`, ten ids of padding after LEX_R_OF). */
export const LEX_NULLISH = 0xd0;
/** A string stored as 0xD1, length (1 byte), the raw bytes. */
export const LEX_RAW_STRING8 = 0xd1;
/** A string stored as 0xD2, length low byte, length high byte, the raw bytes. */
export const LEX_RAW_STRING16 = 0xd2;
/** The integer 0. */
export const LEX_RAW_INT0 = 0xd3;
/** An integer -128..127 stored as 0xD4, the value as a signed byte. */
export const LEX_RAW_INT8 = 0xd4;
/** An integer -32768..32767 stored as 0xD5, low byte, high byte (two's complement). */
export const LEX_RAW_INT16 = 0xd5;

const ID_OF = new Map<string, number>();
ESPRUINO_OPERATORS.forEach((t, i) => ID_OF.set(t, LEX_OPERATORS_START + i));
ESPRUINO_RESERVED_WORDS.forEach((t, i) => ID_OF.set(t, LEX_RESERVED_WORDS_START + i));
ID_OF.set("??", LEX_NULLISH);

const TEXT_OF = new Map<number, string>();
for (const [text, id] of ID_OF) TEXT_OF.set(id, text);

/** The one-byte id of an operator or reserved word, or undefined when Espruino has none for `text`. */
export function espruinoTokenId(text: string): number | undefined {
  return ID_OF.get(text);
}

/** The text of an operator or reserved word id, or undefined for any other byte. */
export function espruinoTokenText(id: number): string | undefined {
  return TEXT_OF.get(id);
}

/** True for the id of a reserved word (a word, so it needs spaces around it when written out as text). */
export function isReservedWordId(id: number): boolean {
  return id >= LEX_RESERVED_WORDS_START && id < LEX_RESERVED_WORDS_START + ESPRUINO_RESERVED_WORDS.length;
}
