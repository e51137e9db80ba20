// Everything a recording says reaches the report page as text: a hostile recording cannot add a tag or an attribute.
import { describe, expect, it } from "vitest";
import { html, safe } from "../../../host/record/html";
import type { RecordLine } from "../../../host/record/record-types";
import { summarise } from "../../../host/record/report-data";
import { reportHtml } from "../../../host/record/report-html";

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const X = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;
/** Tags the report itself writes. */
const OWN_TAGS = new Set(["html", "head", "meta", "title", "style", "body", "div", "p", "h1", "h2", "h3", "table", "tr", "th", "td", "span", "code", "b", "ul", "li", "svg", "rect", "line", "text", "polyline", "path", "g"]);

/** Tag and attribute names of a page whose every tag is well formed (name, then name="value" attributes): throws at a tag that is not. */
function tagsOf(page: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  const TAG = /<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z0-9:-]+="[^"<>]*")*)\s*\/?>/y;
  for (const m of page.matchAll(/<[a-zA-Z]/g)) {
    TAG.lastIndex = m.index;
    const t = TAG.exec(page);
    if (!t) throw new Error("malformed tag at " + page.slice(m.index, m.index + 80));
    tags.add(t[1].toLowerCase());
    for (const a of t[2].matchAll(/([a-zA-Z0-9:-]+)="/g)) attributes.add(a[1].toLowerCase());
  }
  return { tags, attributes };
}

function hostile(): RecordLine[] {
  const device = { deviceId: X, fw: X, bootId: X, major: 1, minor: 0, channels: 2, rateHz: 10, session: X, schemaHash: X, schemaMatches: true, restored: false, port: X };
  const recs = [
    { k: "start", atMs: T0, format: 1, bridge: X, device, channels: [{ ch: 0, label: X, role: X, tc: X, chip: X }, { ch: 1, label: "b", role: "nerve", tc: "T", chip: "MAX31855" }], limits: { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: X, dose70Min: X, cem43Limit: 1650 }, alarms: [], doses: [] },
    { k: "case", atMs: T0, fields: { caseId: X.slice(0, 80), procedure: X, operator: X, modality: "other", modalityOther: X, placements: [{ ch: 0, placement: X }] }, by: X },
    { k: "r", atMs: T0 + 100, seq: 1, tMs: 100, v: [4300, X] },
    { k: "r", atMs: T0 + 200, seq: 2, tMs: 200, v: [4400, 3700] },
    { k: "dev", atMs: T0 + 210, m: { type: "D", seq: 0, tMs: 200, ch: 0, t42Ms: 100, t42Pm: 1, t70Ms: 0, t70Pm: 0, cem43M: 5, cem43Pm: 1 } },
    { k: "alarm", atMs: T0 + 100, action: "RAISE", alarm: { key: X, source: X, alarmId: 1, cond: X, ch: 0, prio: X, kind: "P", active: true, acked: false, latching: true, value: 4300, limit: 4200, info: 0, raisedAtMs: T0 + 100, changedAtMs: T0 + 100, tMs: 100, text: X } },
    { k: "alarm", atMs: T0 + 150, action: "RAISE", alarm: { key: "k2", source: "device", alarmId: 2, cond: "WARN", ch: 0, prio: `H" onmouseover="alert(3)`, kind: "P", active: true, acked: false, latching: false, value: X, limit: X, info: 0, raisedAtMs: T0 + 150, changedAtMs: T0 + 150, tMs: 100, text: "t" } },
    { k: "cmd", atMs: T0 + 160, id: 1, command: { name: "ack", alarmKey: X }, outcome: "ACK", reason: null, info: 1, by: X },
    { k: "alarm", atMs: T0 + 170, action: "ACK", alarm: { key: X, cond: X, acked: true } },
    { k: "event", atMs: T0 + 180, event: { atMs: T0 + 180, text: X, source: X } },
    { k: "link", atMs: T0 + 190, link: { state: X, error: { code: X, message: X } } },
    { k: "link", atMs: T0 + 195, link: { state: "up", error: null } },
    { k: "lost", atMs: T0 + 196, from: 3, count: X },
    { k: X, atMs: T0 + 197 },
  ];
  return recs as unknown as RecordLine[];
}

describe("report escaping", () => {
  it("the html template escapes every interpolation unless it is the template's own markup", () => {
    expect(html`<td class="${X}">${X}</td>`.text).toBe(`<td class="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;</td>`);
    expect(html`<p>${[X, html`<b>${"<i>"}</b>`, 3, null]}</p>`.text).toBe(`<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;<b>&lt;i&gt;</b>3</p>`);
    expect(html`${safe("<hr>")}`.text).toBe("<hr>");
  });

  it("a hostile recording (role, dose fields, prio, source, link state, case fields, texts) adds no tag and no attribute", () => {
    const page = reportHtml(summarise(hostile()), { sources: [X], live: false, nowMs: T0 + 1000 });
    const { tags, attributes } = tagsOf(page);
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect([...attributes].filter((a) => a.startsWith("on"))).toEqual([]); // no event handler
    expect(page).not.toMatch(/<script/i);
    // The hostile texts are on the page, as text.
    expect(page.split("&lt;script&gt;alert(2)&lt;/script&gt;").length).toBeGreaterThan(8);
    // Nonsense fields are counted, not trusted: the lost count that is not a number and the unknown record kind.
    expect(page).toContain("2 unreadable line(s)");
  });
});
