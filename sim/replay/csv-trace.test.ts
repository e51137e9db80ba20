import { describe, expect, it } from "vitest";
import { CSV_MAX_BYTES } from "../sim-limits";
import { type CsvErrorCode, interpolateSeries, parseCsvTrace } from "./csv-trace";

function error(text: string): { code: CsvErrorCode; line: number; message: string } {
  const r = parseCsvTrace(text);
  if (r.success) throw new Error("expected a parse error");
  return r.error;
}

describe("parseCsvTrace", () => {
  it("parses header, comments, blank lines, CRLF and gaps", () => {
    const r = parseCsvTrace("# recorded 2024\r\n\r\ntime_s, canal ,foramen-L\r\n0,37,37.1\r\n0.5,37.5,\r\n1,38,nan\r\n");
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.labels).toEqual(["canal", "foramen-L"]);
    expect([...r.data.timesS]).toEqual([0, 0.5, 1]);
    expect([...r.data.columns[0]]).toEqual([37, 37.5, 38]);
    expect(r.data.columns[1][0]).toBe(37.1);
    expect(Number.isNaN(r.data.columns[1][1])).toBe(true);
    expect(Number.isNaN(r.data.columns[1][2])).toBe(true);
  });

  it("reports errors with a code and the line number", () => {
    expect(error("")).toMatchObject({ code: "CSV_EMPTY", line: 0 });
    expect(error("time_s,a\n")).toMatchObject({ code: "CSV_EMPTY", line: 1 });
    expect(error("t,a\n0,1\n")).toMatchObject({ code: "CSV_HEADER", line: 1 });
    expect(error("time_s\n0\n")).toMatchObject({ code: "CSV_HEADER", line: 1 });
    expect(error("time_s,a,a\n0,1,2\n")).toMatchObject({ code: "CSV_HEADER", line: 1 });
    expect(error("time_s,a,\n0,1,2\n")).toMatchObject({ code: "CSV_HEADER", line: 1 });
    expect(error("# c\ntime_s,a\n0,1\n1,2,3\n")).toMatchObject({ code: "CSV_COLUMNS", line: 4 });
    expect(error("time_s,a\n0,1\nx,2\n")).toMatchObject({ code: "CSV_NUMBER", line: 3 });
    expect(error("time_s,a\n0,1\n1,0x10\n")).toMatchObject({ code: "CSV_NUMBER", line: 3 });
    expect(error("time_s,a\n0,1\n2,1\n1,1\n")).toMatchObject({ code: "CSV_TIME_ORDER", line: 4 });
    const long = parseCsvTrace("time_s,a\n0,1\n1,2\n2,3\n", 2);
    expect(long.success ? null : long.error).toMatchObject({ code: "CSV_TOO_LONG", line: 4 });
    expect(error("time_s,a\n0,1\n1,abc\n").message).toContain("line 3");
  });

  it("bounds times to 0..24 h and temperatures to the thermocouple range, with their own codes", () => {
    expect(error("time_s,a\n0,37\n1e300,37\n")).toMatchObject({ code: "CSV_TIME_RANGE", line: 3 });
    expect(error("time_s,a\n-1,37\n")).toMatchObject({ code: "CSV_TIME_RANGE", line: 2 });
    expect(error("time_s,a\n0,37\n86400.5,37\n")).toMatchObject({ code: "CSV_TIME_RANGE", line: 3 });
    expect(parseCsvTrace("time_s,a\n0,37\n86400,37\n").success).toBe(true);
    expect(error("time_s,a\n0,1e300\n")).toMatchObject({ code: "CSV_VALUE_RANGE", line: 2 });
    expect(error("time_s,a\n0,37\n1,-300\n")).toMatchObject({ code: "CSV_VALUE_RANGE", line: 3 });
    expect(error("time_s,a\n0,1400\n")).toMatchObject({ code: "CSV_VALUE_RANGE", line: 2 });
    expect(parseCsvTrace("time_s,a\n0,-250\n1,1372\n").success).toBe(true);
  });

  it("refuses a text larger than CSV_MAX_BYTES before splitting it", () => {
    const huge = "time_s,a\n" + "#".repeat(CSV_MAX_BYTES);
    expect(error(huge)).toMatchObject({ code: "CSV_TOO_LARGE", line: 0 });
  });
});

describe("interpolateSeries", () => {
  const t = Float64Array.from([0, 10, 10, 20, 30]);
  const v = Float64Array.from([37, 42, 45, 45, Number.NaN]);

  it("is linear between points, and a repeated time is a step (the later point wins)", () => {
    expect(interpolateSeries(t, v, 5, "gap")).toBe(39.5);
    expect(interpolateSeries(t, v, 10, "gap")).toBe(45);
    expect(interpolateSeries(t, v, 15, "gap")).toBe(45);
  });

  it("spreads a gap to both neighbouring intervals", () => {
    expect(interpolateSeries(t, v, 20, "gap")).toBe(45);
    expect(Number.isNaN(interpolateSeries(t, v, 20.1, "gap"))).toBe(true);
    expect(Number.isNaN(interpolateSeries(t, v, 30, "gap"))).toBe(true);
  });

  it("holds or gaps outside the recorded span", () => {
    const tt = Float64Array.from([5, 10]);
    const vv = Float64Array.from([38, 39]);
    expect(interpolateSeries(tt, vv, 0, "hold")).toBe(38);
    expect(interpolateSeries(tt, vv, 11, "hold")).toBe(39);
    expect(Number.isNaN(interpolateSeries(tt, vv, 0, "gap"))).toBe(true);
    expect(Number.isNaN(interpolateSeries(tt, vv, 11, "gap"))).toBe(true);
  });
});
