// Event labels on a chart: no two overlap, none leaves the plot; one without room is left out rather than drawn over another.
import { describe, expect, it } from "vitest";
import { LABEL_GAP_PX, placeLabels } from "../../host/dashboard/chart-labels";

describe("placeLabels", () => {
  it("CO2 and cycle marks 6 px apart go to separate lanes; a mark at the right edge puts its label left of the line", () => {
    const labels = [
      { x: 100, width: 80 },
      { x: 106, width: 90 },
      { x: 590, width: 70 },
    ];
    const out = placeLabels(labels, 40, 600, 2);
    expect(out[0]).toEqual({ left: 100 + LABEL_GAP_PX, lane: 0 });
    expect(out[1]!.lane).toBe(1);
    expect(out[2]).toEqual({ left: 590 - LABEL_GAP_PX - 70, lane: 0 });
  });

  it("never overlaps or clips, whatever the marks (random placements)", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 200; run++) {
      const labels = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => ({ x: 40 + rnd() * 560, width: 20 + rnd() * 150 }));
      const out = placeLabels(labels, 40, 600, 2);
      const boxes = out.flatMap((p, i) => (p ? [{ ...p, right: p.left + labels[i]!.width }] : []));
      for (const b of boxes) {
        expect(b.left).toBeGreaterThanOrEqual(40);
        expect(b.right).toBeLessThanOrEqual(600);
      }
      for (const a of boxes) for (const b of boxes) if (a !== b && a.lane === b.lane) expect(a.right <= b.left || b.right <= a.left).toBe(true);
      expect(boxes.length).toBeGreaterThan(0);
    }
  });
});
