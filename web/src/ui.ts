import katex from "katex";
import { formatNumber } from "./format.js";

/** The colours of the page's curves (also used in the CSS legend swatches). */
export const COLORS = { one: "#2563eb", zero: "#c2410c", ce: "#2563eb", se: "#c2410c", ink: "#1f2937", muted: "#9ca3af" };

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`explainer: no element #${id}`);
  return el as T;
}

/**
 * Shows a number computed by the library in every element with `data-key="key"`: formatted as text, and
 * exactly (String of the double round-trips) in `data-value`, which the browser tests read.
 */
export function show(key: string, value: number, digits?: number): void {
  const els = document.querySelectorAll<HTMLElement>(`[data-key="${key}"]`);
  if (els.length === 0) throw new Error(`explainer: no output [data-key=${key}]`);
  for (const el of els) {
    el.textContent = formatNumber(value, digits ?? (el.dataset.digits === undefined ? undefined : Number(el.dataset.digits)));
    el.dataset.value = String(value);
  }
}

/** Typesets every `.tex` (inline) and `.tex-display` element of the page with KaTeX. */
export function typeset(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>(".tex, .tex-display")) {
    katex.render(el.textContent ?? "", el, { displayMode: el.classList.contains("tex-display"), throwOnError: true });
    // Keep punctuation right after an inline formula on its line ("margin ys:" never breaks before ":").
    const next = el.nextSibling;
    if (el.classList.contains("tex") && next?.nodeType === Node.TEXT_NODE && /^[.,:;)]/.test(next.textContent ?? "")) {
      const text = next.textContent!;
      const glue = document.createElement("span");
      glue.className = "nowrap";
      el.replaceWith(glue);
      glue.append(el, text[0]!);
      next.textContent = text.slice(1);
    }
  }
}

/** Renders a TeX string into an element (for formulas that change with the controls). */
export function texInto(el: HTMLElement, tex: string): void {
  katex.render(tex, el, { throwOnError: true });
}

/** The value of a range or number input. */
export function numberOf(input: HTMLInputElement): number {
  return input.valueAsNumber;
}

/** The checked value of a radio group, as a number. */
export function radioValue(name: string): number {
  const el = document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  if (el === null) throw new Error(`explainer: no checked radio in ${name}`);
  return Number(el.value);
}

/** Calls `update` now and on every input event of the given elements (sliders, radios, selects all fire it). */
export function wire(elements: Iterable<Element>, update: () => void): void {
  for (const el of elements) el.addEventListener("input", update);
  update();
}

/** A drawn chart: the element Plot returned, which carries its scales. */
export type Chart = (SVGSVGElement | HTMLElement) & { scale(name: string): { invert?: (v: number) => number } | undefined };

/**
 * Draws a chart into a container at the container's width, and draws it again when that width changes.
 * Returns the function that redraws it (call it when the inputs change).
 */
export function chartIn(container: HTMLElement, draw: (width: number) => Chart): () => Chart {
  let current: Chart | null = null;
  let lastWidth = 0;
  const redraw = (): Chart => {
    lastWidth = Math.max(260, Math.floor(container.clientWidth));
    const next = draw(lastWidth);
    if (current === null) container.append(next);
    else current.replaceWith(next);
    current = next;
    return next;
  };
  new ResizeObserver(() => {
    if (Math.floor(container.clientWidth) !== lastWidth && current !== null) redraw();
  }).observe(container);
  return redraw;
}

/**
 * Lets the pointer drag a chart's point along x: the chart's x scale turns the pointer position into a
 * value, which is written into the slider (snapped to its step and clamped to its range), so the slider
 * stays the one source of the value and keyboard users get the same control.
 */
export function dragAlongX(container: HTMLElement, input: HTMLInputElement): void {
  let dragging = false;
  const move = (event: PointerEvent): void => {
    const svg = container.querySelector("svg");
    const chart = container.firstElementChild as Chart | null;
    const x = chart?.scale?.("x");
    if (svg === null || !x?.invert) return;
    const rect = svg.getBoundingClientRect();
    const width = svg.viewBox.baseVal?.width || rect.width;
    const value = x.invert(((event.clientX - rect.left) * width) / rect.width);
    const min = Number(input.min);
    const max = Number(input.max);
    const step = Number(input.step) || 1;
    const snapped = Math.min(max, Math.max(min, min + Math.round((value - min) / step) * step));
    input.value = String(Number(snapped.toFixed(10)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  container.addEventListener("pointerdown", (event) => {
    dragging = true;
    container.setPointerCapture(event.pointerId);
    move(event);
  });
  container.addEventListener("pointermove", (event) => {
    if (dragging) move(event);
  });
  const stop = (): void => {
    dragging = false;
  };
  container.addEventListener("pointerup", stop);
  container.addEventListener("pointercancel", stop);
}

/** Evenly spaced numbers from a to b (n of them). */
export function range(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}
