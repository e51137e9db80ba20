// A one-line progress bar for command-line runs (stderr, only when it is a terminal).

/** Renders `[#####.....]  45%  2:15 / 5:00` for a fraction done and the times in seconds. */
export function renderProgress(doneS: number, totalS: number, note = "", width = 30): string {
  const f = totalS > 0 ? Math.min(1, Math.max(0, doneS / totalS)) : 1;
  const n = Math.round(f * width);
  const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
  return `[${"#".repeat(n)}${".".repeat(width - n)}] ${String(Math.round(f * 100)).padStart(3)}%  ${clock(doneS)} / ${clock(totalS)}${note ? "  " + note : ""}`;
}

/** Draws a progress line in place on a TTY; does nothing otherwise (logs, CI). */
export class ProgressBar {
  private last = "";
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}
  update(doneS: number, totalS: number, note = ""): void {
    if (!this.stream.isTTY) return;
    const line = renderProgress(doneS, totalS, note);
    if (line === this.last) return;
    this.last = line;
    this.stream.write("\r" + line);
  }
  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write("\n");
    this.last = "";
  }
}
