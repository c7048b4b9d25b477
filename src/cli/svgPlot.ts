/**
 * A small line-chart writer: SVG text with a frame, "nice" ticks (1, 2, 5 x 10^k), axis labels, a title and a
 * legend. Coordinates are rounded to 0.01 px so the output is stable (snapshot-testable) and compact. Curves
 * leaving the plotting area are clipped at its edge (a loss that goes to Infinity runs off the top).
 */

export interface Series {
  label: string;
  /** Points in data coordinates; a non-finite y breaks the line. */
  points: readonly (readonly [number, number])[];
  color?: string;
  /** An SVG stroke-dasharray, e.g. "6 4". */
  dash?: string;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Default: the extent of the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  width?: number;
  height?: number;
  /** Vertical and horizontal reference lines (drawn thin and grey), e.g. x = 0. */
  xRules?: number[];
  yRules?: number[];
  /** Where the legend goes, inside the frame; default "top-right". */
  legend?: "top-right" | "top-left" | "top-center" | "bottom-right";
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const last = Math.floor(hi / step + 1e-9);
  // k * step rounded to 12 digits: 3 * 0.2 is 0.6000000000000001, the tick is 0.6.
  for (let k = Math.ceil(lo / step - 1e-9); k <= last; k++) ticks.push(Number((k * step).toPrecision(12)) || 0);
  return ticks;
}

function tickText(t: number): string {
  return String(Number(t.toPrecision(6)));
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

export function svgPlot(spec: PlotSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 420;
  const margin = { left: 64, right: 20, top: 40, bottom: 52 };
  const [x0, x1] = spec.xDomain ?? extent(spec.series.flatMap((s) => s.points.map((p) => p[0])));
  const [y0, y1] = spec.yDomain ?? extent(spec.series.flatMap((s) => s.points.map((p) => p[1])));
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const sy = (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/></clipPath></defs>`,
    `<text x="${round(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  // Grid and ticks.
  for (const t of niceTicks(x0, x1)) {
    const x = round(sx(t));
    out.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#eee"/>`,
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="black"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle">${tickText(t)}</text>`,
    );
  }
  for (const t of niceTicks(y0, y1)) {
    const y = round(sy(t));
    out.push(
      `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/>`,
      `<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="black"/>`,
      `<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickText(t)}</text>`,
    );
  }
  for (const r of spec.xRules ?? []) {
    out.push(`<line x1="${round(sx(r))}" y1="${top}" x2="${round(sx(r))}" y2="${bottom}" stroke="#999" stroke-dasharray="2 3"/>`);
  }
  for (const r of spec.yRules ?? []) {
    out.push(`<line x1="${left}" y1="${round(sy(r))}" x2="${right}" y2="${round(sy(r))}" stroke="#999" stroke-dasharray="2 3"/>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="black"/>`);
  // Axis labels.
  out.push(
    `<text x="${round((left + right) / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${round((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  // Curves.
  spec.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    let d = "";
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      // Keep far-off points near the frame so clipping, not the renderer's number range, cuts them.
      const py = Math.max(top - 1000, Math.min(bottom + 1000, sy(y)));
      d += `${pen ? "L" : "M"}${round(sx(x))} ${round(py)}`;
      pen = true;
    }
    out.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} clip-path="url(#plot-area)"/>`,
    );
  });
  // Legend, top right inside the frame.
  const legendWidth = 24 + 7 * Math.max(...spec.series.map((s) => s.label.length), 4);
  const legendHeight = 8 + 18 * spec.series.length;
  const where = spec.legend ?? "top-right";
  const lx = where === "top-left" ? left + 10 : where === "top-center" ? Math.round((left + right - legendWidth) / 2) : right - legendWidth - 10;
  const ly = where === "bottom-right" ? bottom - legendHeight - 10 : top + 10;
  out.push(`<rect x="${lx}" y="${ly}" width="${legendWidth}" height="${legendHeight}" fill="white" fill-opacity="0.9" stroke="#ccc"/>`);
  spec.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const y = ly + 14 + 18 * k;
    out.push(
      `<line x1="${lx + 6}" y1="${y}" x2="${lx + 20}" y2="${y}" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
      `<text x="${lx + 24}" y="${y}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
