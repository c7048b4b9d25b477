import "katex/dist/katex.min.css";
import "./style.css";
import { setupFormTwo } from "./sections/formTwo.js";
import { setupFormula } from "./sections/formula.js";
import { setupIntuition } from "./sections/intuition.js";
import { setupSamples } from "./sections/samples.js";
import { setupSigmoid } from "./sections/sigmoid.js";
import { setupSquaredError } from "./sections/squaredError.js";
import { typeset } from "./ui.js";

// The explainer, in the tutorial's order. Every number shown comes from "xent" (the public API).
typeset();
setupFormula();
setupSigmoid();
setupIntuition();
setupFormTwo();
setupSamples();
setupSquaredError();
document.documentElement.dataset.ready = "true";
