/**
 * A progress line on stderr (bytes and rows per second, percentage and ETA when the size is known),
 * redrawn at most 10 times a second and erased at the end. Only shown when stderr is a terminal: the CLI
 * decides that and passes `enabled`.
 */
export class Progress {
  private readonly write: (s: string) => void;
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private last = 0;
  private drawn = false;

  constructor(write: (s: string) => void, enabled: boolean) {
    this.write = write;
    this.enabled = enabled;
  }

  update(bytes: number, size: number | null, rows: number, label: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const seconds = Math.max((now - this.start) / 1000, 1e-3);
    const mbps = bytes / 1e6 / seconds;
    const rps = rows / seconds;
    let line = `${label}  ${human(bytes)}B  ${mbps.toFixed(1)} MB/s  ${human(rps)} rows/s`;
    if (size !== null && size > 0) {
      const f = Math.min(bytes / size, 1);
      const width = 20;
      const done = Math.round(f * width);
      const eta = f > 0 ? (seconds * (1 - f)) / f : 0;
      line = `[${"#".repeat(done)}${".".repeat(width - done)}] ${(f * 100).toFixed(0).padStart(3)}%  ${line}  ETA ${clock(eta)}`;
    }
    this.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.write("\r\x1b[K");
    this.drawn = false;
  }
}

function human(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}
