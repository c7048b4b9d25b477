/**
 * The error of a double against an exact value given as a double-double [hi, lo], in ulps of hi:
 * `|(got - hi) - lo| / ulp(hi)`, `ulp(x) = 2^(floor(log2|x|) - 52)` for normal x and 2^-1074 below.
 * Strict: NaN is never close to anything, Infinity only to Infinity of the same sign.
 */
export function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2.2250738585072014e-308) return 2 ** -1074;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const exponent = (view.getUint16(0) >> 4) - 1023;
  return 2 ** (exponent - 52);
}

export function ulpError(got: number, exact: readonly [number, number]): number {
  const [hi, lo] = exact;
  if (Number.isNaN(got)) return Infinity;
  if (!Number.isFinite(hi)) return got === hi ? 0 : Infinity;
  if (!Number.isFinite(got)) return Infinity;
  return Math.abs(got - hi - lo) / ulp(hi);
}

/** The largest ulp error of a list of (got, exact) pairs, with the index where it occurs. */
export function maxUlpError(pairs: Iterable<[number, readonly [number, number]]>): { max: number; at: number } {
  let max = 0;
  let at = -1;
  let i = 0;
  for (const [got, exact] of pairs) {
    const e = ulpError(got, exact);
    if (!(e <= max)) {
      max = e;
      at = i;
    }
    i++;
  }
  return { max, at };
}
