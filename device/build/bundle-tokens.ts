// Splits a JavaScript bundle into tokens with TypeScript's scanner, regular expressions and template literals told apart by its parser.
import ts from "typescript";

/** What a token is, as far as pretokenising cares. */
export type BundleTokenKind = "word" | "number" | "string" | "template" | "regex" | "punct";

/** One token of a bundle. */
export interface BundleToken {
  kind: BundleTokenKind;
  /** The token's source text (a template literal with substitutions: the whole literal, `${...}` parts included). */
  text: string;
  /** For "string" (quoted strings and untagged templates without substitutions): the string's value. */
  value?: string;
  /** A line break separates this token from the one before (automatic semicolon insertion may depend on it). */
  newlineBefore: boolean;
  /** Offset of the token's first character in the bundle. */
  start: number;
}

/** A bundle the tokeniser cannot split; `code` is stable: BUNDLE_SCAN_ERROR, BUNDLE_UNKNOWN_CHAR. */
export class BundleTokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly pos: number,
  ) {
    super(`${code}: ${message} at offset ${pos}`);
    this.name = "BundleTokenError";
  }
}

interface Landmarks {
  /** Start offsets of regular expression literals (the scanner alone reads `/` as division). */
  regexStarts: Set<number>;
  /** Template literals copied whole (with substitutions, or tagged): start offset -> end offset. */
  wholeTemplates: Map<number, number>;
}

function landmarks(code: string): Landmarks {
  const sf = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.ES2015, false, ts.ScriptKind.JS);
  const out: Landmarks = { regexStarts: new Set(), wholeTemplates: new Map() };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) out.regexStarts.add(node.getStart(sf));
    else if (ts.isTemplateExpression(node)) out.wholeTemplates.set(node.getStart(sf), node.end);
    else if (ts.isTaggedTemplateExpression(node)) out.wholeTemplates.set(node.template.getStart(sf), node.template.end);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const SKIPPED = new Set([
  ts.SyntaxKind.WhitespaceTrivia,
  ts.SyntaxKind.NewLineTrivia,
  ts.SyntaxKind.SingleLineCommentTrivia,
  ts.SyntaxKind.MultiLineCommentTrivia,
  ts.SyntaxKind.ShebangTrivia,
]);

/**
 * The tokens of `code` in order, comments and white space dropped. `>`-operators are re-scanned
 * to their longest form (`>>>=`), as TypeScript's parser does. Throws BundleTokenError on text
 * the scanner rejects (an unterminated string, an unknown character).
 */
export function scanBundleTokens(code: string): BundleToken[] {
  const marks = landmarks(code);
  const errors: { message: string; pos: number }[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.ES2015, false, ts.LanguageVariant.Standard, code, (m) => {
    if (errors.length === 0) errors.push({ message: m.message, pos: scanner.getTokenStart() }); // the first one is thrown
  });
  const throwIfScanError = (): void => {
    if (errors.length > 0) throw new BundleTokenError("BUNDLE_SCAN_ERROR", errors[0].message, errors[0].pos);
  };
  const tokens: BundleToken[] = [];
  let newlineBefore = false;
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    throwIfScanError();
    if (SKIPPED.has(t)) {
      if (t === ts.SyntaxKind.NewLineTrivia || (t === ts.SyntaxKind.MultiLineCommentTrivia && /[\n\r\u2028\u2029]/.test(scanner.getTokenText()))) newlineBefore = true;
      continue;
    }
    const start = scanner.getTokenStart();
    const whole = marks.wholeTemplates.get(start);
    let kind: BundleTokenKind;
    if (whole !== undefined) {
      tokens.push({ kind: "template", text: code.slice(start, whole), newlineBefore, start });
      scanner.resetTokenState(whole);
      newlineBefore = false;
      continue;
    }
    if ((t === ts.SyntaxKind.SlashToken || t === ts.SyntaxKind.SlashEqualsToken) && marks.regexStarts.has(start)) t = scanner.reScanSlashToken();
    else if (t === ts.SyntaxKind.GreaterThanToken) t = scanner.reScanGreaterToken();
    if (t === ts.SyntaxKind.Unknown) throw new BundleTokenError("BUNDLE_UNKNOWN_CHAR", `unexpected ${JSON.stringify(scanner.getTokenText())}`, start);
    throwIfScanError();
    let value: string | undefined;
    if (t === ts.SyntaxKind.Identifier || t === ts.SyntaxKind.PrivateIdentifier || (t >= ts.SyntaxKind.FirstKeyword && t <= ts.SyntaxKind.LastKeyword)) kind = "word";
    else if (t === ts.SyntaxKind.NumericLiteral || t === ts.SyntaxKind.BigIntLiteral) kind = "number";
    else if (t === ts.SyntaxKind.StringLiteral || t === ts.SyntaxKind.NoSubstitutionTemplateLiteral) {
      kind = "string";
      value = scanner.getTokenValue();
    } else if (t === ts.SyntaxKind.RegularExpressionLiteral) kind = "regex";
    else kind = "punct";
    tokens.push({ kind, text: scanner.getTokenText(), value, newlineBefore, start });
    newlineBefore = false;
  }
  throwIfScanError();
  return tokens;
}
