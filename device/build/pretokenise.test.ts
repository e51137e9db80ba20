// The pretokeniser writes Espruino 2v29's token bytes for every token kind, and the real bundles read back to the same tokens.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildEspruino, bundleForEspruino, ESPRUINO_BUNDLES, pretokenisedBundleForEspruino, pretokenisedName } from "./build-espruino";
import { type BundleToken, scanBundleTokens } from "./bundle-tokens";
import { detokeniseForEspruino } from "./detokenise";
import { espruinoTokenId, LEX_RAW_INT0, LEX_RAW_INT16, LEX_RAW_INT8, LEX_RAW_STRING16, LEX_RAW_STRING8 } from "./espruino-tokens";
import { pretokeniseForEspruino } from "./pretokenise";

/** The bytes of a binary string, as numbers. */
const bytes = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
/** A binary string from text and token ids. */
const bin = (...parts: (string | number)[]): string => parts.map((p) => (typeof p === "number" ? String.fromCharCode(p) : p)).join("");
const id = (text: string): number => espruinoTokenId(text) as number;
/** What a token means, independent of how it is written (quotes, escapes, hex, template or string). */
const meaning = (t: BundleToken): string => (t.kind === "string" ? "S" + t.value : t.kind === "number" ? "N" + Number(t.text) : t.kind + " " + t.text);
const meanings = (code: string): string[] => scanBundleTokens(code).map(meaning);

describe("Espruino token ids (jslex.h LEX_TYPES of 2v29)", () => {
  it.each([
    ["==", 138], ["===", 139], ["!==", 141], ["<<=", 144], [">>>", 147], [">>>=", 149], ["++", 152], ["--", 153], ["&&", 158], ["||", 160], ["^=", 161], ["=>", 162],
    ["if", 163], ["function", 170], ["return", 171], ["this", 175], ["catch", 178], ["undefined", 183], ["in", 185], ["typeof", 191], ["class", 194], ["of", 198], ["??", 0xd0],
  ])("%s is %i", (text, want) => expect(espruinoTokenId(text)).toBe(want));
  it("raw tokens follow ?? (0xD0)", () => expect([LEX_RAW_STRING8, LEX_RAW_STRING16, LEX_RAW_INT0, LEX_RAW_INT8, LEX_RAW_INT16]).toEqual([0xd1, 0xd2, 0xd3, 0xd4, 0xd5]));
});

describe("pretokeniseForEspruino", () => {
  it("writes reserved words and multi-character operators as one byte, drops white space", () => {
    expect(pretokeniseForEspruino("if (a === b) return this;\n")).toBe(bin(id("if"), "(a", id("==="), "b)", id("return"), id("this"), ";"));
    expect(pretokeniseForEspruino("x >>>= y >> z, p => p")).toBe(bin("x", id(">>>="), "y", id(">>"), "z,p", id("=>"), "p"));
    expect(pretokeniseForEspruino("let u = void 0 ?? undefined")).toBe(bin(id("let"), "u=", id("void"), LEX_RAW_INT0, id("??"), id("undefined")));
  });
  it("tokenises reserved words used as names, as Espruino's lexer reads them from text", () => {
    expect(pretokeniseForEspruino("o.default = o.of")).toBe(bin("o.", id("default"), "=o.", id("of")));
  });
  it("keeps a space only between two words or numbers written as text", () => {
    expect(pretokeniseForEspruino("class A { get x() { return 1 } }")).toBe(bin(id("class"), "A{get x(){", id("return"), LEX_RAW_INT8, 1, "}}"));
    expect(pretokeniseForEspruino("a = b instanceof C")).toBe(bin("a=b", id("instanceof"), "C"));
  });
  it("keeps `catch` as text (espruino/Espruino#1868)", () => {
    expect(pretokeniseForEspruino("try { f() } catch (e) { g() }")).toBe(bin(id("try"), "{f()}catch(e){g()}"));
  });
  it("keeps the space that stops two signs merging", () => {
    expect(pretokeniseForEspruino("a - -b + +c")).toBe("a- -b+ +c");
    expect(pretokeniseForEspruino("a + ++b")).toBe(bin("a+", id("++"), "b"));
    expect(pretokeniseForEspruino("x = a / /re/.source")).toBe("x=a/ /re/.source");
  });
  it("writes strings as raw bytes: escapes resolved, either quote, characters 128..255", () => {
    expect(pretokeniseForEspruino(`x = "ab"`)).toBe(bin("x=", LEX_RAW_STRING8, 2, "ab"));
    expect(bytes(pretokeniseForEspruino(`x = 'a"\\'\\n\\xe9'`))).toEqual([...bytes("x="), LEX_RAW_STRING8, 5, 0x61, 0x22, 0x27, 0x0a, 0xe9]);
    const long = "k".repeat(300);
    expect(pretokeniseForEspruino(`x="${long}"`)).toBe(bin("x=", LEX_RAW_STRING16, 300 & 255, 300 >> 8, long));
  });
  it("keeps as text the strings it cannot store raw: empty, a character above 255, a zero byte", () => {
    expect(pretokeniseForEspruino(`x = "" + ''`)).toBe(`x=""+''`);
    expect(pretokeniseForEspruino(`x = "\\u20ac"`)).toBe(`x="\\u20ac"`);
    expect(pretokeniseForEspruino(`x = "a\\0"`)).toBe(`x="a\\0"`);
    const len512 = "k".repeat(512); // its length's low byte is zero
    expect(pretokeniseForEspruino(`x="${len512}"`)).toBe(`x="${len512}"`);
  });
  it("writes integer literals that fit 16 bits as raw integers, and never a zero byte", () => {
    expect(pretokeniseForEspruino("f(0, 5, 0x10, 1000, -1000)")).toBe(bin("f(", LEX_RAW_INT0, ",", LEX_RAW_INT8, 5, ",", LEX_RAW_INT8, 16, ",", LEX_RAW_INT16, 0xe8, 0x03, ",", LEX_RAW_INT16, 0x18, 0xfc, ")"));
    // 200 would be D5 C8 00 and 256 D5 00 01: a zero byte ends the source for C-string loaders
    expect(pretokeniseForEspruino("f(200, 256, 40000, 1.5, 1e3)")).toBe("f(200,256,40000,1.5,1e3)");
  });
  it("folds a unary minus into the integer only where nothing binds tighter than the sign", () => {
    expect(bytes(pretokeniseForEspruino("x = -5"))).toEqual([...bytes("x="), LEX_RAW_INT8, 0xfb]);
    expect(bytes(pretokeniseForEspruino("return -1"))).toEqual([id("return"), LEX_RAW_INT8, 0xff]);
    expect(bytes(pretokeniseForEspruino("a - -5"))).toEqual([...bytes("a-"), LEX_RAW_INT8, 0xfb]);
    expect(pretokeniseForEspruino("a - 5")).toBe(bin("a-", LEX_RAW_INT8, 5)); // a subtraction
    expect(pretokeniseForEspruino("f() - 5")).toBe(bin("f()-", LEX_RAW_INT8, 5));
    expect(pretokeniseForEspruino("x = -5 .toFixed(1)")).toBe(bin("x=-", LEX_RAW_INT8, 5, ".toFixed(", LEX_RAW_INT8, 1, ")")); // -(5 .toFixed(1))
    expect(pretokeniseForEspruino("x = -0")).toBe(bin("x=-", LEX_RAW_INT0)); // -0 is not 0
  });
  it("keeps `1 .x` apart (`1.x` reads as the number `1.`)", () => {
    expect(pretokeniseForEspruino("x = 40000 .toString()")).toBe("x=40000 .toString()");
  });
  it("keeps regular expressions as text, flags apart from a following word", () => {
    expect(pretokeniseForEspruino("x = /a+b/g.test(s) ? /=/ : a / b / c")).toBe("x=/a+b/g.test(s)?/=/:a/b/c");
    expect(pretokeniseForEspruino("x = /a/ in o")).toBe(bin("x=/a/", id("in"), "o"));
  });
  it("writes a template without substitutions as a string, keeps others whole", () => {
    expect(pretokeniseForEspruino("x = `a\nb`")).toBe(bin("x=", LEX_RAW_STRING8, 3, "a\nb"));
    expect(pretokeniseForEspruino("x = `a${b + `c${d}`} e`")).toBe("x=`a${b + `c${d}`} e`");
    expect(pretokeniseForEspruino("x = f`a`")).toBe("x=f`a`");
  });
  it("keeps one line break where the source had any (automatic semicolons)", () => {
    expect(pretokeniseForEspruino("a = b\n\n++c")).toBe(bin("a=b\n", id("++"), "c"));
    expect(pretokeniseForEspruino("a = b // note\nc /* one */ d")).toBe("a=b\nc d");
  });
  it("refuses text it would have to keep with a character above 127, and text that does not scan", () => {
    expect(() => pretokeniseForEspruino("var \u00e9t\u00e9 = 1")).toThrow(expect.objectContaining({ code: "PRETOKENISE_NON_ASCII" }));
    expect(() => pretokeniseForEspruino(`x = "abc`)).toThrow(expect.objectContaining({ code: "BUNDLE_SCAN_ERROR" }));
    expect(() => pretokeniseForEspruino("x = a \\ b")).toThrow(expect.objectContaining({ code: "BUNDLE_SCAN_ERROR" }));
  });
});

describe("detokeniseForEspruino", () => {
  it("reads a raw string, a negative raw integer and a token byte back", () => {
    expect(meanings(detokeniseForEspruino(bin("x=", LEX_RAW_STRING8, 2, "a\n", ",", LEX_RAW_INT16, 0x18, 0xfc, id("in"), "o")))).toEqual(meanings(`x="a\\n",-1000 in o`));
  });
  it("rejects a byte that is no token, and a raw token cut short", () => {
    expect(() => detokeniseForEspruino("a\u00c8b")).toThrow(expect.objectContaining({ code: "DETOKENISE_BAD_BYTE" }));
    expect(() => detokeniseForEspruino(bin("x=", LEX_RAW_STRING8, 5, "ab"))).toThrow(expect.objectContaining({ code: "DETOKENISE_TRUNCATED" }));
  });
});

describe("the device bundles, pretokenised", () => {
  const entries = [...ESPRUINO_BUNDLES.map((b) => b.entry), "bench/espruino-cost-entry.ts"];
  it.each(entries)("%s reads back to the same tokens, in bytes 1..255, at most 85 percent of its size", async (entry) => {
    const code = await bundleForEspruino(entry);
    const pretok = pretokeniseForEspruino(code);
    expect(meanings(detokeniseForEspruino(pretok))).toEqual(meanings(code));
    expect(bytes(pretok).filter((b) => b === 0 || b > 255)).toEqual([]);
    // measured 2026-12: 19 % smaller (32,681 -> 26,450 bytes for the chip bundle)
    expect(pretok.length).toBeLessThan(0.85 * code.length);
  });
});

describe("buildEspruino", () => {
  it("writes each bundle's pretokenised copy beside it, byte for byte, within the size limit", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tg-pretok-"));
    try {
      const results = await buildEspruino(dir);
      expect(results.map((r) => path.basename(r.pretok?.path ?? ""))).toEqual(["thermoguard.pretok.js", "thermoguard-sim.pretok.js"]);
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        expect(r.problems).toEqual([]);
        expect(readFileSync(r.pretok?.path ?? "", "latin1")).toBe(await pretokenisedBundleForEspruino(ESPRUINO_BUNDLES[i].entry));
        expect(r.pretok?.bytes).toBeLessThan(r.bytes);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("names the copy after the bundle", () => expect(pretokenisedName("thermoguard-sim.min.js")).toBe("thermoguard-sim.pretok.js"));
});
