/**
 * Test helpers: errors in ulps against a double-double reference, and a strict comparator.
 *
 * The error of `got` against the exact value `hi + lo` (hi the correctly rounded double, lo the rounded
 * remainder) is `|(got - hi) - lo| / ulp(hi)`, with `ulp(x) = 2^(floor(log2|x|) - 52)` for normal x and
 * `2^-1074` below the normal range (and for x = 0). `got - hi` is exact whenever got is within a factor 2
 * of hi (Sterbenz), which is every case that matters; ulp(hi) is a power of two, so the division is exact.
 * An exact value beyond the double range is stored as hi = +-Infinity: only that same infinity is right.
 */

const view = new DataView(new ArrayBuffer(8));

/** The unbiased binary exponent of a finite x != 0, read from its bits (Math.log2 rounds near powers of 2). */
export function exponentOf(x: number): number {
  view.setFloat64(0, x);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  if (biased === 0) {
    // Subnormal: the exponent of the leading bit of the 52-bit fraction.
    const hiBits = view.getUint32(0) & 0xfffff;
    const loBits = view.getUint32(4);
    const bits = hiBits !== 0 ? 52 - (Math.clz32(hiBits) - 12) : 32 - Math.clz32(loBits);
    return -1075 + bits;
  }
  return biased - 1023;
}

/** ulp(x) = 2^(floor(log2|x|) - 52) for normal x, 2^-1074 for subnormal x and 0. x must be finite. */
export function ulp(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`ulp: ${x} is not finite`);
  if (Math.abs(x) < 2 ** -1022) return 2 ** -1074;
  return 2 ** (exponentOf(x) - 52);
}

/** The error of `got` in ulps of the exact value hi + lo; Infinity when got is NaN or the wrong infinity. */
export function ulpError(got: number, hi: number, lo: number): number {
  if (Number.isNaN(got)) return Infinity;
  if (!Number.isFinite(hi)) return got === hi ? 0 : Infinity;
  if (!Number.isFinite(got)) return Infinity;
  return Math.abs(got - hi - lo) / ulp(hi);
}

/**
 * Strict equality: NaN equals only NaN, Infinity only itself, and -0 differs from +0 (Object.is). For
 * bit-identical comparisons (batch path vs scalar path) and for special values whose sign matters.
 */
export function same(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** Describes a number exactly enough to tell doubles apart in a failure message (-0 shown as -0). */
export function show(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return 2 ** -1074;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The next double below x (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
