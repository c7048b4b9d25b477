import * as Plot from "@observablehq/plot";
import { logit, sigmoid } from "xent";
import { COLORS, type Chart, byId, chartIn, dragAlongX, numberOf, range, show, wire } from "../ui.js";

/** Section 2: the sigmoid's graph with a draggable logit. */
export function setupSigmoid(): void {
  const s = byId<HTMLInputElement>("g-s");
  const container = byId("g-chart");
  const curve = range(-10, 10, 401).map((x) => ({ s: x, p: sigmoid(x) }));
  show("g-zero", sigmoid(0));
  show("g-low", sigmoid(-10));
  show("g-high", sigmoid(10));
  const draw = chartIn(container, (width) => {
    const sv = numberOf(s);
    const pv = sigmoid(sv);
    return Plot.plot({
      width,
      height: Math.round(Math.min(320, width * 0.55)),
      marginLeft: 44,
      marginBottom: 38,
      marginRight: 18,
      x: { domain: [-10, 10], label: "logit s", grid: true },
      y: { domain: [0, 1], label: "g(s)", grid: true },
      marks: [
        Plot.ruleY([0.5], { stroke: COLORS.muted, strokeDasharray: "4 3" }),
        Plot.ruleX([0], { stroke: COLORS.muted, strokeDasharray: "4 3" }),
        Plot.line(curve, { x: "s", y: "p", stroke: COLORS.one, strokeWidth: 2.5 }),
        Plot.dot([{ s: 0, p: 0.5 }], { x: "s", y: "p", r: 4, fill: COLORS.muted }),
        Plot.text([{ s: 0, p: 0.5 }], { x: "s", y: "p", text: () => "g(0) = ½", dx: 8, dy: 12, textAnchor: "start", fill: COLORS.ink }),
        Plot.text([{ s: -9.8, p: 0.06 }], { x: "s", y: "p", text: () => "saturates at 0", textAnchor: "start", fill: COLORS.ink }),
        Plot.text([{ s: 9.8, p: 0.94 }], { x: "s", y: "p", text: () => "saturates at 1", textAnchor: "end", fill: COLORS.ink }),
        Plot.ruleX([sv], { y1: 0, y2: pv, stroke: COLORS.zero, strokeOpacity: 0.6 }),
        Plot.dot([{ s: sv, p: pv }], { x: "s", y: "p", r: 7, fill: COLORS.zero, stroke: "white", strokeWidth: 2 }),
      ],
    }) as Chart;
  });
  dragAlongX(container, s);
  wire([s], () => {
    const sv = numberOf(s);
    show("g-s", sv);
    show("g-p", sigmoid(sv));
    show("g-back", logit(sigmoid(sv)));
    draw();
  });
}
