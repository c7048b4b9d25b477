/**
 * How the explainer shows a number: 6 significant digits, a true minus sign, scientific notation as
 * "× 10^k" outside [1e-4, 1e6), and ∞ for the infinite losses. The exact double is kept beside it in the
 * element's `data-value` (see `show` in ui.ts), so a test can compare both with the library's value.
 */
export function formatNumber(x: number, digits = 6): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "−∞";
  if (x === 0) return Object.is(x, -0) ? "−0" : "0";
  const a = Math.abs(x);
  let text: string;
  if (a >= 1e-4 && a < 1e6) {
    text = trimZeros(x.toPrecision(digits));
  } else {
    const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
    text = `${trimZeros(mantissa!)} × 10${superscript(Number(exponent))}`;
  }
  return text.replace("-", "−");
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

function superscript(k: number): string {
  const digits = String(Math.abs(k))
    .split("")
    .map((d) => SUPERSCRIPTS[Number(d)])
    .join("");
  return (k < 0 ? "⁻" : "") + digits;
}
