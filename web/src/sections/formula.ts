import { binaryCrossEntropy } from "xent";
import { byId, numberOf, radioValue, show, texInto, wire } from "../ui.js";
import { formatNumber } from "../format.js";

/** Section 1: likelihood, its log, minus its log, for a chosen p and y. */
export function setupFormula(): void {
  const p = byId<HTMLInputElement>("f-p");
  const likelihoodTex = byId("f-likelihood-tex");
  wire([p, ...document.querySelectorAll('input[name="f-y"]')], () => {
    const pv = numberOf(p);
    const y = radioValue("f-y");
    const loss = binaryCrossEntropy(y, pv);
    show("f-p", pv);
    // The likelihood p^y (1 - p)^(1 - y) picks one of the slider's two numbers: p for y = 1, 1 - p for y = 0.
    const likelihood = y === 1 ? pv : 1 - pv;
    const tex = (x: number): string => formatNumber(x).replace("∞", "\\infty").replace("−", "-");
    texInto(likelihoodTex, `${tex(pv)}^{${y}}\\,(1-${tex(pv)})^{${1 - y}}`);
    show("f-likelihood", likelihood);
    show("f-log", -loss);
    show("f-loss", loss);
  });
}
