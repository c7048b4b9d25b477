import { binaryCrossEntropyWithLogits, sigmoid } from "xent";
import { formatNumber } from "../format.js";
import { byId, show } from "../ui.js";

const START: [number, number][] = [
  [1, 2.5],
  [0, -1.2],
  [1, 0.3],
  [0, 0.8],
  [1, -3],
];

/** Section 5: an editable table of (label, logit) samples with each loss, the sum and the mean. */
export function setupSamples(): void {
  const table = byId<HTMLTableElement>("t-table");
  const body = table.tBodies[0]!;
  const error = byId("t-error");

  const rows = (): HTMLTableRowElement[] => [...body.rows];
  const labelOf = (row: HTMLTableRowElement): number => Number(row.querySelector("select")!.value);
  const logitOf = (row: HTMLTableRowElement): number => row.querySelector<HTMLInputElement>("input")!.valueAsNumber;

  function update(): void {
    const all = rows();
    all.forEach((row, i) => {
      row.cells[0]!.textContent = String(i + 1);
      row.querySelector("select")!.setAttribute("aria-label", `label of sample ${i + 1}`);
      row.querySelector("input")!.setAttribute("aria-label", `logit of sample ${i + 1}`);
      row.querySelector("button")!.setAttribute("aria-label", `remove sample ${i + 1}`);
    });
    const labels = all.map(labelOf);
    const logits = all.map(logitOf);
    try {
      // One call per reduction; a bad cell makes the library throw, and its message is shown as is.
      const each = binaryCrossEntropyWithLogits(labels, logits, { reduction: "none" });
      const sum = binaryCrossEntropyWithLogits(labels, logits, { reduction: "sum" });
      all.forEach((row, i) => {
        setCell(row.cells[3]!, `t-p-${i}`, sigmoid(logits[i]!));
        setCell(row.cells[4]!, `t-loss-${i}`, each[i]!);
        row.classList.remove("invalid");
      });
      show("t-sum", sum);
      if (all.length > 0) show("t-mean", binaryCrossEntropyWithLogits(labels, logits, { reduction: "mean" }));
      else clear("t-mean", "undefined (no samples)");
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = `${(e as Error).message}. (Every cell needs a number.)`;
      all.forEach((row, i) => {
        row.classList.toggle("invalid", Number.isNaN(logits[i]));
        setCell(row.cells[3]!, `t-p-${i}`, null);
        setCell(row.cells[4]!, `t-loss-${i}`, null);
      });
      clear("t-sum", "—");
      clear("t-mean", "—");
    }
  }

  function addRow(label: number, logit: number): void {
    const row = body.insertRow();
    row.insertCell().className = "index";
    const select = document.createElement("select");
    for (const value of [1, 0]) select.add(new Option(String(value), String(value), false, value === label));
    row.insertCell().append(select);
    const input = document.createElement("input");
    input.type = "number";
    input.step = "0.1";
    input.inputMode = "decimal";
    input.value = String(logit);
    row.insertCell().append(input);
    row.insertCell().className = "value col-p";
    row.insertCell().className = "value";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "remove";
    remove.textContent = "×";
    remove.addEventListener("click", () => {
      row.remove();
      update();
    });
    row.insertCell().append(remove);
    select.addEventListener("change", update);
    input.addEventListener("input", update);
  }

  for (const [label, logit] of START) addRow(label, logit);
  byId("t-add").addEventListener("click", () => {
    addRow(1, 0);
    update();
    rows().at(-1)?.querySelector("input")?.focus();
  });
  update();
}

function setCell(cell: HTMLTableCellElement, key: string, value: number | null): void {
  let out = cell.querySelector("output");
  if (out === null) {
    out = document.createElement("output");
    cell.append(out);
  }
  out.dataset.key = key;
  if (value === null) {
    out.textContent = "—";
    delete out.dataset.value;
  } else {
    out.textContent = formatNumber(value);
    out.dataset.value = String(value);
  }
}

function clear(key: string, text: string): void {
  for (const el of document.querySelectorAll<HTMLElement>(`[data-key="${key}"]`)) {
    el.textContent = text;
    delete el.dataset.value;
  }
}
