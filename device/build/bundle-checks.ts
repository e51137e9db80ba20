// Static checks of an Espruino bundle for the runtime pitfalls of espruino.md, on the TypeScript parser's AST.
import ts from "typescript";

/** One problem found in a bundle: a stable code, what it is, and where (character offset). */
export interface BundleProblem {
  code: string;
  message: string;
  pos: number;
}

/** Largest bundle accepted (minified bytes): small enough for a 128 KB-flash board next to the firmware. */
export const MAX_BUNDLE_BYTES = 32 * 1024;

/** Globals Espruino 2v29 lacks (espruino.md "Fails to parse or run", plus Proxy / Reflect / RegExp by policy). */
const MISSING_GLOBALS = ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "RegExp", "BigInt"];
/** Static members Espruino lacks (espruino.md "Missing built-ins"). */
const MISSING_MEMBERS = ["Array.from", "Array.of", "Number.isInteger", "Math.trunc", "Math.imul", "Object.freeze"];

/**
 * String methods that go wrong on Espruino 2v29 (boards built without SAVE_ON_FLASH, the Pico
 * among them): String.prototype.indexOf, and includes through it, report a match when a needle of
 * two or more characters has its beginning at the end of the string ("abcd".indexOf("dx") is 3,
 * "hello world".indexOf("world!") is 6). lastIndexOf, startsWith, endsWith and Array.indexOf are
 * right. Flagged when the needle is a literal; other needles the code review has to catch.
 */
const STRING_SEARCH = ["indexOf", "includes"];

function isNameNotReference(node: ts.Identifier): boolean {
  const p = node.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === node) return true;
  return false;
}

function isDeferred(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node);
}

/** The statements of the bundle's outer IIFE `(() => { ... })()`, or the file's own statements. */
function topStatements(sf: ts.SourceFile): readonly ts.Statement[] {
  if (sf.statements.length === 1) {
    const s = sf.statements[0];
    if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression)) {
      let callee: ts.Expression = s.expression.expression;
      while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
      if ((ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) && callee.body && ts.isBlock(callee.body)) return callee.body.statements;
    }
  }
  return sf.statements;
}

/**
 * Returns every Espruino pitfall found in `code` (a bundle): syntax Espruino cannot run, globals
 * and built-ins it lacks, string searches it answers wrongly, `X.prototype.m.call` helpers, Error subclasses, and top-level calls of
 * functions declared later (Espruino does not hoist). Empty when the bundle is clean.
 */
export function checkEspruinoBundle(code: string): BundleProblem[] {
  const sf = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const problems: BundleProblem[] = [];
  const add = (c: string, message: string, node: ts.Node) => problems.push({ code: c, message, pos: node.getStart(sf) });
  const parseErrors = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of parseErrors) problems.push({ code: "PARSE", message: ts.flattenDiagnosticMessageText(d.messageText, " "), pos: d.start ?? 0 });

  const visit = (node: ts.Node): void => {
    const k = node.kind;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && STRING_SEARCH.indexOf(node.expression.name.text) >= 0) {
      const a = node.arguments[0];
      if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) && a.text.length >= 2) {
        add("STRING_SEARCH", node.expression.name.text + "(" + JSON.stringify(a.text) + "): on Espruino 2v29 a needle of 2+ characters matches where its start ends the string (\"abcd\".indexOf(\"dx\") is 3); use lastIndexOf", node);
      }
    }
    if (ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) add("DESTRUCTURING", "destructuring pattern", node);
    else if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken && (ts.isObjectLiteralExpression(node.left) || ts.isArrayLiteralExpression(node.left))) add("DESTRUCTURING", "destructuring assignment", node);
      if (op === ts.SyntaxKind.AsteriskAsteriskToken || op === ts.SyntaxKind.AsteriskAsteriskEqualsToken) add("EXPONENT", "** operator", node);
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) add("LOGICAL_ASSIGNMENT", "logical assignment (??= ||= &&=)", node);
    } else if (ts.isParameter(node)) {
      if (node.initializer) add("DEFAULT_PARAM", "default parameter", node);
      if (node.dotDotDotToken) add("REST", "rest parameter", node);
    } else if (ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) add("SPREAD", "spread", node);
    else if (ts.isComputedPropertyName(node)) add("COMPUTED_KEY", "computed property key", node);
    else if (k === ts.SyntaxKind.AsyncKeyword || ts.isAwaitExpression(node)) add("ASYNC", "async / await", node);
    else if (ts.isYieldExpression(node)) add("GENERATOR", "generator (yield)", node);
    else if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) add("GENERATOR", "generator function", node);
    else if (k === ts.SyntaxKind.QuestionDotToken) add("OPTIONAL_CHAIN", "optional chaining ?.", node);
    else if (ts.isLabeledStatement(node)) add("LABEL", "label", node);
    else if (ts.isTaggedTemplateExpression(node)) add("TAGGED_TEMPLATE", "tagged template", node);
    else if (ts.isPrivateIdentifier(node)) add("PRIVATE_FIELD", "#private member", node);
    else if (k === ts.SyntaxKind.BigIntLiteral) add("BIGINT", "BigInt literal", node);
    else if (k === ts.SyntaxKind.RegularExpressionLiteral) add("REGEXP", "RegExp literal (quantifiers and lookahead misbehave on Espruino)", node);
    else if (ts.isMetaProperty(node)) add("META_PROPERTY", "new.target / import.meta", node);
    else if (ts.isClassStaticBlockDeclaration(node)) add("STATIC_BLOCK", "class static block", node);
    else if (ts.isForOfStatement(node) && node.awaitModifier) add("ASYNC", "for await", node);
    else if (ts.isIdentifier(node)) {
      if (MISSING_GLOBALS.indexOf(node.text) >= 0 && !isNameNotReference(node)) add("MISSING_GLOBAL", node.text + " does not exist on Espruino", node);
    } else if (ts.isPropertyAccessExpression(node)) {
      const text = node.getText(sf);
      if (MISSING_MEMBERS.indexOf(text) >= 0) add("MISSING_BUILTIN", text + " does not exist on Espruino", node);
      if (node.name.text === "BYTES_PER_ELEMENT") add("MISSING_BUILTIN", "TypedArray.BYTES_PER_ELEMENT does not exist on Espruino", node);
      if ((node.name.text === "call" || node.name.text === "apply") && ts.isPropertyAccessExpression(node.expression) &&
        ts.isPropertyAccessExpression(node.expression.expression) && node.expression.expression.name.text === "prototype") {
        add("PROTOTYPE_CALL", node.getText(sf) + ": X.prototype.m is undefined on Espruino", node);
      }
    } else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const h = node.heritageClauses?.[0]?.types[0]?.expression;
      if (h && ts.isIdentifier(h) && /Error$/.test(h.text)) add("ERROR_SUBCLASS", "class extends " + h.text + " (loses .message, super() throws on Espruino)", node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  // No hoisting on Espruino: a top-level statement must not call a function declared further down.
  const stmts = topStatements(sf);
  const later = new Set<string>();
  for (const s of stmts) if (ts.isFunctionDeclaration(s) && s.name) later.add(s.name.text);
  for (const s of stmts) {
    if (ts.isFunctionDeclaration(s)) {
      if (s.name) later.delete(s.name.text);
      continue;
    }
    const scan = (node: ts.Node): void => {
      if (isDeferred(node)) return;
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && later.has(node.expression.text)) {
        add("HOISTING", node.expression.text + "() is called before its declaration (Espruino does not hoist functions)", node);
      }
      ts.forEachChild(node, scan);
    };
    scan(s);
  }
  return problems;
}

/** A human-readable line per problem, with line:column. */
export function describeProblems(code: string, problems: BundleProblem[]): string[] {
  return problems.map((p) => {
    const before = code.slice(0, p.pos);
    const line = before.split("\n").length;
    const col = p.pos - before.lastIndexOf("\n");
    return `${p.code} at ${line}:${col}: ${p.message}  [${code.slice(p.pos, p.pos + 60).replace(/\n/g, " ")}]`;
  });
}
