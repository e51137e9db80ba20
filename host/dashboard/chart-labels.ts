// Placement of a chart's event labels in lanes along its bottom edge: no two overlap, none runs past the plot.

/** One label to place: the x of its event line and the label's width, px. */
export interface LabelIn {
  x: number;
  width: number;
}

/** Where a label goes: left edge, lane (0 = bottom), or null when no lane has room (the line stays; hover shows the text). */
export interface LabelOut {
  left: number;
  lane: number;
}

/** Gap between labels and from a label to its line, px. */
export const LABEL_GAP_PX = 4;

/**
 * Places labels (sorted by x or not) right of their line, or left of it near the plot's right edge,
 * in the lowest lane where they overlap nothing; inside [plotLeft, plotRight] always.
 */
export function placeLabels(labels: readonly LabelIn[], plotLeft: number, plotRight: number, lanes: number): (LabelOut | null)[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.x - labels[b]!.x);
  const taken: [number, number][][] = Array.from({ length: lanes }, () => []);
  const out: (LabelOut | null)[] = labels.map(() => null);
  for (const i of order) {
    const { x, width } = labels[i]!;
    if (width > plotRight - plotLeft) continue;
    // Right of the line where it fits, else left of it; clamped into the plot either way.
    const right = x + LABEL_GAP_PX + width <= plotRight ? [x + LABEL_GAP_PX] : [];
    const candidates = [...right, x - LABEL_GAP_PX - width].map((l) => Math.min(Math.max(l, plotLeft), plotRight - width));
    search: for (let lane = 0; lane < lanes; lane++) {
      for (const left of candidates) {
        const right = left + width;
        if (taken[lane]!.every(([a, b]) => right + LABEL_GAP_PX <= a || left >= b + LABEL_GAP_PX)) {
          taken[lane]!.push([left, right]);
          out[i] = { left, lane };
          break search;
        }
      }
    }
  }
  return out;
}
