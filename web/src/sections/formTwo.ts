import * as Plot from "@observablehq/plot";
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, compensatedSum, logisticLoss, sigmoid } from "xent";
import { COLORS, type Chart, byId, chartIn, dragAlongX, numberOf, radioValue, range, show, texInto, wire } from "../ui.js";

/** Section 4: labels ±1, 1 - g(s) = g(-s), the loss against the margin, and both forms on one sample. */
export function setupFormTwo(): void {
  const s = byId<HTMLInputElement>("m-s");
  const container = byId("m-chart");
  const verdict = byId("m-verdict");
  const curve = range(-6, 6, 241).map((m) => ({ m, loss: logisticLoss(1, m) }));
  const draw = chartIn(container, (width) => {
    const y = radioValue("m-y");
    const margin = y * numberOf(s);
    const loss = logisticLoss(1, margin);
    return Plot.plot({
      width,
      height: Math.round(Math.min(300, width * 0.5)),
      marginLeft: 40,
      marginBottom: 38,
      marginRight: 18,
      x: { domain: [-6, 6], label: "margin y·s", grid: true },
      y: { domain: [0, 6.5], label: "log(1 + e^(−ys))", grid: true },
      marks: [
        Plot.rectX([{ x1: -6, x2: 0 }], { x1: "x1", x2: "x2", y1: 0, y2: 6.5, fill: COLORS.zero, fillOpacity: 0.06 }),
        Plot.text([{ m: -5.8, loss: 6.2 }], { x: "m", y: "loss", text: () => "wrong side", textAnchor: "start", fill: COLORS.zero }),
        Plot.text([{ m: 5.8, loss: 6.2 }], { x: "m", y: "loss", text: () => "right side", textAnchor: "end", fill: COLORS.one }),
        Plot.line(curve, { x: "m", y: "loss", stroke: COLORS.one, strokeWidth: 2.5 }),
        Plot.dot([{ m: margin, loss }], { x: "m", y: "loss", r: 7, fill: COLORS.zero, stroke: "white", strokeWidth: 2 }),
      ],
    }) as Chart;
  });
  dragAlongX(container, s);
  wire([s, ...document.querySelectorAll('input[name="m-y"]')], () => {
    const sv = numberOf(s);
    const y = radioValue("m-y");
    const y01 = y === 1 ? 1 : 0;
    const g = sigmoid(sv);
    const gneg = sigmoid(-sv);
    show("m-s", sv);
    show("m-g", g);
    show("m-gneg", gneg);
    show("m-gsum", compensatedSum([g, gneg]));
    show("m-margin", y * sv);
    texInto(byId("m-y01"), `y = ${y01}`);
    const fromP = binaryCrossEntropy(y01, g);
    const fromLogit = binaryCrossEntropyWithLogits(y01, sv);
    const formTwo = logisticLoss(y, sv);
    show("m-form1p", fromP);
    show("m-form1", fromLogit);
    show("m-form2", formTwo);
    const same = Object.is(fromLogit, formTwo);
    const relative = Math.abs(fromP - formTwo) / formTwo;
    verdict.className = `verdict ${same ? "ok" : "bad"}`;
    verdict.textContent = same
      ? `✓ Form one from the logit and form two give the same number, bit for bit. Form one through p = g(s) ${
          fromP === formTwo ? "agrees exactly too" : `differs by a relative ${relative.toExponential(1)}: the rounding of p`
        }.`
      : "✗ The two forms disagree.";
    draw();
  });
}
