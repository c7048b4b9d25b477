/**
 * A small chart writer: SVG text with a frame, "nice" ticks (1, 2, 5 x 10^k; decades on a log axis), axis
 * labels, a title and a legend; series drawn as lines or dots, an optional histogram band along the bottom
 * and text labels. Coordinates are rounded to 0.01 px so the output is stable (snapshot-testable) and
 * compact. Curves leaving the plotting area are clipped at its edge (a loss that goes to Infinity runs off
 * the top).
 *
 * Text is placed by its baseline with explicit `dy` offsets (0.35em centres a line of digits on a tick),
 * never `dominant-baseline`, which Chromium and librsvg (rsvg-convert) interpret differently.
 */

export interface Series {
  label: string;
  /** Points in data coordinates; a non-finite y (or y <= 0 on a log axis) breaks the line. */
  points: readonly (readonly [number, number])[];
  color?: string;
  /** An SVG stroke-dasharray, e.g. "6 4". */
  dash?: string;
  /** "line" (default) joins the points; "dots" draws a circle at each; "step" steps up or down at the previous x,
   * then runs to the next point (the area under it is sum (x_k - x_{k-1}) y_k, average precision's). */
  kind?: "line" | "dots" | "step";
  /** Stroke width of a line (default 2) or radius of a dot (default 3.5). */
  size?: number;
  /** Leave the series out of the legend. */
  noLegend?: boolean;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Default: the extent of the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** "log": a base-10 axis with ticks at the decades (the domain must be positive). Default "linear". */
  yScale?: "linear" | "log";
  /** Category names for the y axis: the tick at y = i is labelled `yCategories[i]` (a dot plot of groups). */
  yCategories?: string[];
  width?: number;
  height?: number;
  /** Vertical and horizontal reference lines (drawn thin and grey), e.g. x = 0. */
  xRules?: number[];
  yRules?: number[];
  /** Where the legend goes, inside the frame; default "top-right". */
  legend?: "top-right" | "top-left" | "top-center" | "bottom-right";
  /** Text at data coordinates, left-aligned a few pixels right of the point, vertically centred, on a white halo. */
  labels?: { x: number; y: number; text: string }[];
  /** Bars along the bottom of the frame (at most a fifth of its height): a histogram of counts over x ranges. */
  histogram?: { bins: { lower: number; upper: number; count: number }[]; label: string };
  /** Prefix of the ids in the SVG (the clip path), unique per chart when several share an HTML page. */
  id?: string;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
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

/**
 * Ticks of a log axis over [lo, hi] (both > 0): the decades 10^k inside, those with k a multiple of m so
 * that there are at most `count`; within less than one decade, the 1-2-5 multiples inside (at least the two ends' decades).
 */
export function logTicks(lo: number, hi: number, count = 8): number[] {
  if (!(lo > 0 && hi > lo)) return [lo];
  const k0 = Math.ceil(Math.log10(lo) - 1e-9);
  const k1 = Math.floor(Math.log10(hi) + 1e-9);
  if (k1 - k0 < 1) {
    const out: number[] = [];
    for (let k = k0 - 1; k <= k1; k++) for (const f of [1, 2, 5]) out.push(Number((f * 10 ** k).toPrecision(12)));
    return out.filter((t) => t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9));
  }
  // Every step-th decade, at multiples of step (so 1 = 10^0 is always a tick when inside).
  const step = Math.ceil((k1 - k0 + 1) / count);
  const out: number[] = [];
  for (let k = Math.ceil(k0 / step) * step; k <= k1; k += step) out.push(Number((10 ** k).toPrecision(12)));
  return out;
}

function tickText(t: number): string {
  return String(Number(t.toPrecision(6)));
}

/** 10^k as "1e-6" past three decades from 1, else as the number. */
function logTickText(t: number): string {
  const k = Math.log10(t);
  if (Math.abs(k - Math.round(k)) < 1e-9 && Math.abs(k) > 3) return `1e${Math.round(k)}`;
  return tickText(t);
}

function extent(values: number[], positive = false): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v) && (!positive || v > 0)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(lo <= hi)) return positive ? [0.1, 10] : [0, 1];
  if (lo === hi) return positive ? [lo / 10, hi * 10] : [lo - 1, hi + 1];
  return [lo, hi];
}

/** A category label cut to 24 characters. */
function shortLabel(s: string): string {
  return s.length > 24 ? `${s.slice(0, 23)}\u2026` : s;
}

export function svgPlot(spec: PlotSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 420;
  const id = spec.id ?? "plot";
  const log = spec.yScale === "log";
  const categories = spec.yCategories;
  const categoryWidth = categories === undefined ? 0 : 7 * Math.max(0, ...categories.map((c) => shortLabel(c).length));
  const margin = { left: Math.max(64, 24 + categoryWidth), right: 20, top: 40, bottom: 52 };
  const [x0, x1] = spec.xDomain ?? extent(spec.series.flatMap((s) => s.points.map((p) => p[0])));
  const [y0, y1] =
    spec.yDomain ??
    extent(
      spec.series.flatMap((s) => s.points.map((p) => p[1])),
      log,
    );
  if (log && !(y0 > 0 && y1 > y0)) throw new RangeError(`svgPlot: a log axis needs a positive domain, not [${y0}, ${y1}]`);
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const ly0 = log ? Math.log10(y0) : 0;
  const ly1 = log ? Math.log10(y1) : 0;
  const sy = log
    ? (y: number) => bottom - ((Math.log10(y) - ly0) / (ly1 - ly0)) * (bottom - top)
    : (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
  const visible = (y: number) => Number.isFinite(y) && (!log || y > 0);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<defs><clipPath id="${id}-area"><rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/></clipPath></defs>`,
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
  const yTicks: [number, string][] =
    categories !== undefined
      ? categories.map((c, i) => [i, escapeXml(shortLabel(c))])
      : log
        ? logTicks(y0, y1).map((t) => [t, logTickText(t)])
        : niceTicks(y0, y1).map((t) => [t, tickText(t)]);
  for (const [t, text] of yTicks) {
    const y = round(sy(t));
    out.push(
      `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/>`,
      `<line x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="black"/>`,
      `<text x="${left - 8}" y="${y}" dy="0.35em" text-anchor="end">${text}</text>`,
    );
  }
  for (const r of spec.xRules ?? []) {
    out.push(`<line x1="${round(sx(r))}" y1="${top}" x2="${round(sx(r))}" y2="${bottom}" stroke="#999" stroke-dasharray="2 3"/>`);
  }
  for (const r of spec.yRules ?? []) {
    if (visible(r)) out.push(`<line x1="${left}" y1="${round(sy(r))}" x2="${right}" y2="${round(sy(r))}" stroke="#999" stroke-dasharray="2 3"/>`);
  }
  // Histogram band: bars up to a fifth of the frame's height, scaled to the largest count.
  if (spec.histogram !== undefined) {
    const most = Math.max(0, ...spec.histogram.bins.map((b) => b.count));
    const band = (bottom - top) / 5;
    if (most > 0) {
      for (const b of spec.histogram.bins) {
        if (!(b.count > 0)) continue;
        const h = (b.count / most) * band;
        const xa = sx(b.lower);
        const xb = sx(b.upper);
        out.push(
          `<rect x="${round(xa + 0.5)}" y="${round(bottom - h)}" width="${round(Math.max(xb - xa - 1, 0.5))}" height="${round(h)}" fill="#bbb" clip-path="url(#${id}-area)"><title>${escapeXml(`${b.lower} to ${b.upper}: ${b.count}`)}</title></rect>`,
        );
      }
    }
  }
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="black"/>`);
  // Axis labels.
  out.push(
    `<text x="${round((left + right) / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${round((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  // Keep far-off points near the frame so clipping, not the renderer's number range, cuts them.
  const py = (y: number) => Math.max(top - 1000, Math.min(bottom + 1000, sy(y)));
  const px = (x: number) => Math.max(left - 1000, Math.min(right + 1000, sx(x)));
  // Curves.
  spec.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    if (s.kind === "dots") {
      const r = s.size ?? 3.5;
      const dots = s.points
        .filter(([x, y]) => Number.isFinite(x) && visible(y))
        .map(([x, y]) => `<circle cx="${round(px(x))}" cy="${round(py(y))}" r="${r}"/>`);
      out.push(`<g fill="${color}" clip-path="url(#${id}-area)">${dots.join("")}</g>`);
      return;
    }
    let d = "";
    let pen = false;
    // Points within half a pixel of the last one drawn add nothing visible: skipped (a curve of 65536
    // distinct scores stays a small path), except the last point of each run.
    let lastX = NaN;
    let lastY = NaN;
    const pts = s.points;
    for (let i = 0; i < pts.length; i++) {
      const [x, y] = pts[i]!;
      if (!Number.isFinite(x) || !visible(y)) {
        pen = false;
        continue;
      }
      const X = px(x);
      const Y = py(y);
      const next = pts[i + 1];
      const endOfRun = next === undefined || !Number.isFinite(next[0]) || !visible(next[1]);
      if (pen && !endOfRun && Math.abs(X - lastX) < 0.5 && Math.abs(Y - lastY) < 0.5) continue;
      if (s.kind === "step" && pen) d += `L${round(lastX)} ${round(Y)}`;
      d += `${pen ? "L" : "M"}${round(X)} ${round(Y)}`;
      pen = true;
      lastX = X;
      lastY = Y;
    }
    out.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="${s.size ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} clip-path="url(#${id}-area)"/>`,
    );
  });
  for (const l of spec.labels ?? []) {
    if (Number.isFinite(l.x) && visible(l.y)) {
      out.push(
        `<text x="${round(px(l.x) + 8)}" y="${round(py(l.y))}" dy="0.35em" fill="#444" font-size="11" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(l.text)}</text>`,
      );
    }
  }
  // Legend, inside the frame.
  const entries = spec.series.map((s, k) => ({ s, color: s.color ?? PALETTE[k % PALETTE.length]! })).filter((e) => e.s.noLegend !== true);
  if (spec.histogram !== undefined) entries.push({ s: { label: spec.histogram.label, points: [], kind: "dots" }, color: "#bbb" });
  if (entries.length > 0) {
    const legendWidth = 24 + 7 * Math.max(...entries.map((e) => e.s.label.length), 4);
    const legendHeight = 8 + 18 * entries.length;
    const where = spec.legend ?? "top-right";
    const lx = where === "top-left" ? left + 10 : where === "top-center" ? Math.round((left + right - legendWidth) / 2) : right - legendWidth - 10;
    const ly = where === "bottom-right" ? bottom - legendHeight - 10 : top + 10;
    out.push(`<rect x="${lx}" y="${ly}" width="${legendWidth}" height="${legendHeight}" fill="white" fill-opacity="0.9" stroke="#ccc"/>`);
    entries.forEach(({ s, color }, k) => {
      const y = ly + 14 + 18 * k;
      out.push(
        s.kind === "dots"
          ? `<circle cx="${lx + 13}" cy="${y}" r="${s.size ?? 3.5}" fill="${color}"/>`
          : `<line x1="${lx + 6}" y1="${y}" x2="${lx + 20}" y2="${y}" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
        `<text x="${lx + 24}" y="${y}" dy="0.35em">${escapeXml(s.label)}</text>`,
      );
    });
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
