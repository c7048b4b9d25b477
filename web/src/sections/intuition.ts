import * as Plot from "@observablehq/plot";
import { binaryCrossEntropy, binaryCrossEntropyGrad } from "xent";
import { formatNumber } from "../format.js";
import { COLORS, type Chart, byId, chartIn, dragAlongX, numberOf, range, show, wire } from "../ui.js";

const Y_MAX = 7;

/** Section 3: L against p for y = 1 and y = 0, a movable point with its loss and gradient. */
export function setupIntuition(): void {
  const p = byId<HTMLInputElement>("i-p");
  const grid = range(0.001, 0.999, 500);
  const charts: (() => Chart)[] = [];
  for (const y of [1, 0] as const) {
    const color = y === 1 ? COLORS.one : COLORS.zero;
    const curve = grid.map((x) => ({ p: x, loss: binaryCrossEntropy(y, x) }));
    const container = byId(`i-chart-${y}`);
    charts.push(
      chartIn(container, (width) => {
        const pv = numberOf(p);
        const loss = binaryCrossEntropy(y, pv);
        // The tangent at the point, from the library's gradient: how steeply the loss rises there (drawing only).
        const slope = binaryCrossEntropyGrad(y, pv);
        const height = Math.round(Math.min(300, Math.max(240, width * 0.75)));
        const pxPerP = width - 58;
        const pxPerLoss = (height - 58) / Y_MAX;
        const half = 48 / pxPerP / Math.hypot(1, (slope * pxPerLoss) / pxPerP); // about 48 px each side

        const tangent = [pv - half, pv + half].map((q) => ({ p: q, loss: loss + slope * (q - pv) }));
        return Plot.plot({
          width,
          height,
          marginLeft: 40,
          marginBottom: 38,
          marginRight: 18,
          x: { domain: [0, 1], label: "p", grid: true },
          y: { domain: [0, Y_MAX], label: "loss", grid: true },
          marks: [
            Plot.line(curve, { x: "p", y: "loss", stroke: color, strokeWidth: 2.5, clip: true }),
            Plot.ruleX([pv], { y1: 0, y2: Math.min(loss, Y_MAX), stroke: color, strokeOpacity: 0.5 }),
            Plot.line(tangent, { x: "p", y: "loss", stroke: COLORS.ink, strokeWidth: 2, strokeDasharray: "6 3", clip: true }),
            Plot.dot([{ p: pv, loss: Math.min(loss, Y_MAX) }], { x: "p", y: "loss", r: 7, fill: color, stroke: "white", strokeWidth: 2 }),
            Plot.text([{ p: pv, loss: Math.min(loss, Y_MAX) }], {
              x: "p",
              y: "loss",
              text: () => `L = ${formatNumber(loss, 3)}, slope ${formatNumber(slope, 3)}`,
              dy: -16,
              dx: pv > 0.5 ? -8 : 8,
              textAnchor: pv > 0.5 ? "end" : "start",
              fill: COLORS.ink,
              stroke: "white",
              strokeWidth: 4,
            }),
          ],
        }) as Chart;
      }),
    );
    dragAlongX(container, p);
  }
  // The penalty near the wrong end, for y = 1.
  const body = byId("i-table").querySelector("tbody")!;
  for (const [i, pv] of [0.5, 0.1, 0.01, 0.001, 1e-6, 1e-12].entries()) {
    const row = body.insertRow();
    row.insertCell().textContent = formatNumber(pv);
    for (const [key, value] of [
      ["loss", binaryCrossEntropy(1, pv)],
      ["grad", binaryCrossEntropyGrad(1, pv)],
    ] as const) {
      const cell = row.insertCell();
      cell.className = "value";
      const out = document.createElement("output");
      out.dataset.key = `i-table-${key}-${i}`;
      cell.append(out);
      show(out.dataset.key, value);
    }
  }
  wire([p], () => {
    const pv = numberOf(p);
    show("i-p", pv);
    for (const y of [1, 0]) {
      show(`i-loss-${y}`, binaryCrossEntropy(y, pv));
      show(`i-grad-${y}`, binaryCrossEntropyGrad(y, pv));
    }
    for (const draw of charts) draw();
  });
}
