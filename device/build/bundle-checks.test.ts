// The Espruino bundle checker names each pitfall of espruino.md, and the real bundles are clean.
import { describe, expect, it } from "vitest";
import { checkEspruinoBundle } from "./bundle-checks";
import { bundleForEspruino, deviceTableAbsent, ESPRUINO_BUNDLES } from "./build-espruino";

const codes = (src: string) => checkEspruinoBundle(src).map((p) => p.code);

describe("checkEspruinoBundle", () => {
  it.each([
    ["var {a} = o;", "DESTRUCTURING"],
    ["var [a] = o;", "DESTRUCTURING"],
    ["function f(a = 1) {}", "DEFAULT_PARAM"],
    ["function f(...a) {}", "REST"],
    ["g(...a);", "SPREAD"],
    ["x = {[k]: 1};", "COMPUTED_KEY"],
    ["async function f() {}", "ASYNC"],
    ["function* f() {}", "GENERATOR"],
    ["x = a ** 2;", "EXPONENT"],
    ["x = a?.b;", "OPTIONAL_CHAIN"],
    ["a ??= 1;", "LOGICAL_ASSIGNMENT"],
    ["l: for (;;) break l;", "LABEL"],
    ["x = new Map();", "MISSING_GLOBAL"],
    ["x = Symbol('a');", "MISSING_GLOBAL"],
    ["x = new WeakMap();", "MISSING_GLOBAL"],
    ["x = Array.from(y);", "MISSING_BUILTIN"],
    ["x = Number.isInteger(y);", "MISSING_BUILTIN"],
    ["x = Math.trunc(y);", "MISSING_BUILTIN"],
    ["x = Math.imul(y, 3);", "MISSING_BUILTIN"],
    ["Object.freeze(y);", "MISSING_BUILTIN"],
    ["x = Float32Array.BYTES_PER_ELEMENT;", "MISSING_BUILTIN"],
    ["x = Array.prototype.slice.call(arguments);", "PROTOTYPE_CALL"],
    ["x = /a{2}/.exec(s);", "REGEXP"],
    ["x = new RegExp('a');", "MISSING_GLOBAL"],
    ["x = tag`a`;", "TAGGED_TEMPLATE"],
    ["class A { #x = 1; }", "PRIVATE_FIELD"],
    ["class E2 extends Error {}", "ERROR_SUBCLASS"],
    ["(() => { f(); function f() {} })();", "HOISTING"],
    ['x = s.indexOf("CO2");', "STRING_SEARCH"],
    ["x = s.includes('ab', 1);", "STRING_SEARCH"],
  ])("flags %s as %s", (src, code) => {
    expect(codes(src)).toContain(code);
  });

  it("accepts what Espruino runs: arrows, classes, getters, let/const, for-of, ??, templates, property names like .Map", () => {
    expect(codes("(() => { function f() {} f(); class A { get x() { return 1; } static s() {} } const a = [1]; for (const v of a) f(v ?? `${v}`); o.Map = 1; x = { Set: 2 }; s.indexOf(\",\"); s.lastIndexOf(\"CO2\"); s.indexOf(t); })();")).toEqual([]);
  });

  it.each(ESPRUINO_BUNDLES.map((b) => [b.entry]))("%s bundles clean, without the device -> host message table or the schema text", async (entry) => {
    const code = await bundleForEspruino(entry);
    expect(checkEspruinoBundle(code)).toEqual([]);
    expect(deviceTableAbsent(code)).toBe(true);
    expect(deviceTableAbsent('{n:"cem43Pm",k:"int"}')).toBe(false);
    expect(code).not.toContain("HI(major");
    expect(code).toContain('PAUSE:[{n:"seconds",k:"int",min:1,max:120');
    expect(code).toContain("E.CRC32");
    expect(code).not.toContain("3988292384"); // the table-driven CRC-32's polynomial: NATIVE_CRC32_ONLY left it out
  });
});
