import * as Plot from "@observablehq/plot";
import {
  GradientDescentRace,
  type RaceLoss,
  type RaceProgress,
  binaryCrossEntropyWithLogits,
  binaryCrossEntropyWithLogitsGrad,
  sigmoidSquaredError,
  sigmoidSquaredErrorGrad,
} from "xent";
import csv from "../../../data/breast-cancer-wisconsin.csv?raw";
import { parseBreastCancer } from "../breastCancer.js";
import { COLORS, type Chart, byId, chartIn, dragAlongX, numberOf, radioValue, range, show, wire } from "../ui.js";

/** The learning rates the race's slider steps through (the slider holds the index). */
export const LEARNING_RATES = [0.05, 0.1, 0.2, 0.5, 1, 2];
/** Where a run stops, and how many epochs each animation frame takes. */
export const MAX_EPOCHS = 1000;
const EPOCHS_PER_FRAME = 4;

const LOSSES: { key: "ce" | "se"; loss: RaceLoss; name: string; color: string }[] = [
  { key: "ce", loss: "crossEntropy", name: "cross-entropy", color: COLORS.ce },
  { key: "se", loss: "squaredError", name: "squared error", color: COLORS.se },
];

/** Section 6: the two gradients side by side, and the race on Breast Cancer Wisconsin. */
export function setupSquaredError(): void {
  setupGradients();
  setupRace();
}

function setupGradients(): void {
  const s = byId<HTMLInputElement>("q-s");
  const grid = range(-10, 10, 401);
  const curves = (y: number) => ({
    loss: grid.flatMap((x) => [
      { s: x, v: binaryCrossEntropyWithLogits(y, x), loss: "cross-entropy" },
      { s: x, v: sigmoidSquaredError(y, x), loss: "squared error" },
    ]),
    grad: grid.flatMap((x) => [
      { s: x, v: binaryCrossEntropyWithLogitsGrad(y, x), loss: "cross-entropy" },
      { s: x, v: sigmoidSquaredErrorGrad(y, x), loss: "squared error" },
    ]),
  });
  const byLabel = { 1: curves(1), 0: curves(0) };
  const plot = (which: "loss" | "grad", width: number): Chart => {
    const y = radioValue("q-y") as 0 | 1;
    const sv = numberOf(s);
    const here = [
      { s: sv, v: which === "loss" ? binaryCrossEntropyWithLogits(y, sv) : binaryCrossEntropyWithLogitsGrad(y, sv), loss: "cross-entropy" },
      { s: sv, v: which === "loss" ? sigmoidSquaredError(y, sv) : sigmoidSquaredErrorGrad(y, sv), loss: "squared error" },
    ];
    return Plot.plot({
      width,
      height: Math.round(Math.min(260, Math.max(190, width * 0.6))),
      marginLeft: 44,
      marginBottom: 38,
      marginRight: 18,
      x: { domain: [-10, 10], label: "logit s", grid: true },
      y: which === "loss" ? { domain: [0, 6], label: "loss", grid: true } : { domain: [-1.05, 1.05], label: "∂L/∂s", grid: true },
      color: { domain: ["cross-entropy", "squared error"], range: [COLORS.ce, COLORS.se] },
      marks: [
        Plot.ruleY([0], { stroke: COLORS.muted }),
        Plot.ruleX([sv], { stroke: COLORS.muted, strokeDasharray: "4 3" }),
        Plot.line(byLabel[y][which], { x: "s", y: "v", stroke: "loss", z: "loss", strokeWidth: 2.5, clip: true }),
        Plot.dot(here, { x: "s", y: "v", fill: "loss", r: 6, stroke: "white", strokeWidth: 2, clip: true }),
      ],
    }) as Chart;
  };
  const lossContainer = byId("q-chart-loss");
  const gradContainer = byId("q-chart-grad");
  const drawLoss = chartIn(lossContainer, (w) => plot("loss", w));
  const drawGrad = chartIn(gradContainer, (w) => plot("grad", w));
  dragAlongX(lossContainer, s);
  dragAlongX(gradContainer, s);
  wire([s, ...document.querySelectorAll('input[name="q-y"]')], () => {
    const sv = numberOf(s);
    const y = radioValue("q-y");
    show("q-s", sv);
    show("q-ce", binaryCrossEntropyWithLogits(y, sv));
    show("q-se", sigmoidSquaredError(y, sv));
    show("q-ce-grad", binaryCrossEntropyWithLogitsGrad(y, sv));
    show("q-se-grad", sigmoidSquaredErrorGrad(y, sv));
    drawLoss();
    drawGrad();
  });
}

function setupRace(): void {
  const data = parseBreastCancer(csv);
  const w0 = byId<HTMLInputElement>("r-w0");
  const rate = byId<HTMLInputElement>("r-rate");
  const run = byId<HTMLButtonElement>("r-run");
  let races: GradientDescentRace[] = [];
  let histories: RaceProgress[][] = [];
  let frame = 0;

  const learningRate = (): number => LEARNING_RATES[numberOf(rate)]!;

  const drawLoss = chartIn(byId("r-chart-loss"), (width) => raceChart(width, "logLoss"));
  const drawAccuracy = chartIn(byId("r-chart-acc"), (width) => raceChart(width, "accuracy"));

  function raceChart(width: number, field: "logLoss" | "accuracy"): Chart {
    const epochs = histories[0]?.length ?? 1;
    const points = histories.flatMap((history, k) => history.map((p) => ({ epoch: p.epoch, v: p[field], loss: LOSSES[k]!.name })));
    const last = histories.map((history, k) => ({ ...history.at(-1)!, loss: LOSSES[k]!.name }));
    return Plot.plot({
      width,
      height: Math.round(Math.min(260, Math.max(190, width * 0.6))),
      marginLeft: 48,
      marginBottom: 38,
      marginRight: 18,
      x: { domain: [0, Math.max(50, epochs - 1)], label: "epoch", grid: true },
      y:
        field === "logLoss"
          ? { type: "log", domain: [0.03, 40], label: "log loss", grid: true, ticks: [0.03, 0.1, 0.3, 1, 3, 10, 30], tickFormat: "~g" }
          : { domain: [0, 1], label: "accuracy", grid: true },
      color: { domain: LOSSES.map((l) => l.name), range: LOSSES.map((l) => l.color) },
      marks: [
        Plot.line(points, { x: "epoch", y: "v", stroke: "loss", z: "loss", strokeWidth: 2.5, clip: true }),
        Plot.dot(last, { x: "epoch", y: field, fill: "loss", r: 4 }),
      ],
    }) as Chart;
  }

  function showProgress(): void {
    show("r-epoch", races[0]!.epoch);
    LOSSES.forEach(({ key }, k) => {
      const p = histories[k]!.at(-1)!;
      show(`r-${key}-loss`, p.loss);
      show(`r-${key}-logloss`, p.logLoss);
      show(`r-${key}-acc`, p.accuracy);
    });
    drawLoss();
    drawAccuracy();
  }

  function reset(): void {
    stop();
    const initialWeights = new Array<number>(data.names.length).fill(numberOf(w0));
    races = LOSSES.map(({ loss }) => new GradientDescentRace(data.features, data.labels, { loss, learningRate: learningRate(), initialWeights }));
    histories = races.map((race) => [race.evaluate()]);
    show("r-w0", numberOf(w0));
    show("r-rate", learningRate());
    rate.setAttribute("aria-valuetext", String(learningRate()));
    showProgress();
  }

  function advance(epochs: number): void {
    for (let k = 0; k < epochs && races[0]!.epoch < MAX_EPOCHS; k++) {
      races.forEach((race, i) => histories[i]!.push(race.step()));
    }
    showProgress();
  }

  function tick(): void {
    advance(EPOCHS_PER_FRAME);
    if (races[0]!.epoch >= MAX_EPOCHS) stop();
    else frame = requestAnimationFrame(tick);
  }

  function stop(): void {
    cancelAnimationFrame(frame);
    frame = 0;
    run.textContent = "Run";
    run.setAttribute("aria-pressed", "false");
  }

  run.addEventListener("click", () => {
    if (frame !== 0) return stop();
    if (races[0]!.epoch >= MAX_EPOCHS) reset();
    run.textContent = "Pause";
    run.setAttribute("aria-pressed", "true");
    frame = requestAnimationFrame(tick);
  });
  byId("r-step").addEventListener("click", () => {
    stop();
    advance(10);
  });
  byId("r-reset").addEventListener("click", reset);
  wire([w0, rate], reset);
}
