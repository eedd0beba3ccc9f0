// The progress line long work draws on a terminal: a bar when the total is known, a count when it is
// not, redrawn in place; away from a terminal nothing is drawn (the command prints its outcome).

/** Bar cells. */
const width = 30;

/** One progress line: `[######------]  45%  45,000 / 100,000 items`, or `45,000 items` without a total. */
export function progressLine(done: number, total: number | undefined, unit: string): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  if (total === undefined || total <= 0) return `${count(done)} ${unit}`;
  const share = Math.min(1, done / total);
  const cells = Math.round(share * width);
  return `[${'#'.repeat(cells)}${'-'.repeat(width - cells)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${count(done)} / ${count(total)} ${unit}`;
}

export class ProgressBar {
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  draw(done: number, total: number | undefined, unit: string): void {
    if (this.stream.isTTY !== true) return;
    this.stream.write(`\r${progressLine(done, total, unit)}\x1b[K`);
    this.drawn = true;
  }

  /** Ends the line the bar was drawn on (when it was drawn). */
  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
