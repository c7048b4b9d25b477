// AssemblyScript: the exp kernel shared by both WebAssembly modules (inlined into each; nothing here is a
// module export). src/core/numerics/fastExp.ts `expNonPositive`, operation for operation, as a scalar and as f64x2:
// Tang's reduction x = (128 n + j) ln2/128 + r, the table value 2^(j/128) = hi + lo, a degree-5 polynomial
// for e^r - 1, and the scale 2^n. Each module lays out its own memory, so the table addresses (and, for the
// vector form, the splatted constants, loaded once per call by the caller) are parameters.

const INV_LN2_128: f64 = 184.6649652337873;
const LN2_128_HI: f64 = 0.0054152123482253955;
const LN2_128_LO: f64 = -1.0082281460997769e-13;
const SHIFT: f64 = 6755399441055744.0;

/** Where both modules keep the table 2^(j/128) (hi, lo pairs): the start of their memory after AssemblyScript's. */
export const EXP2_AT: usize = 65536;

/** exp(x) for -746 < x <= 0; `exp2` the (hi, lo) table of 2^(j/128), `pow2` the powers 2^i, i = -1100..1. */
// @ts-ignore: decorator
@inline export function expNonPositiveAt(x: f64, exp2: usize, pow2: usize): f64 {
  const t = x * INV_LN2_128 + SHIFT;
  const nd = t - SHIFT;
  const r = x - nd * LN2_128_HI - nd * LN2_128_LO;
  const n = <i32>nd;
  const j2 = (n & 127) << 1;
  const k = n >> 7;
  const hi = load<f64>(exp2 + (<usize>j2 << 3));
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
  return (hi + (load<f64>(exp2 + (<usize>(j2 + 1) << 3)) + hi * p)) * 0.5 * load<f64>(pow2 + (<usize>(k + 1101) << 3));
}

/**
 * exp(-z) for two lanes z in [0, 708], the same operations as `expNonPositiveAt` at x = -z, bit for bit, but
 * scaling by 2^n directly (the exponent bits built from the integer), which is exact in that range. The
 * constants are splats of 128/ln 2, 1.5 2^52, ln2/128 head and tail, 1/2, -1/6, 1/24, -1/120, and `expBias`,
 * the i64x2 (bits of 1.5 2^52) - 1023 * 128. (The softmax rows, whose differences d are <= 0, pass z = -d.)
 *
 * Without negating z: every rounding is symmetric (fl(-a - b) = -fl(a + b), fl(-a * b) = -fl(a * b)), so the
 * same operations with the signs moved give the same values: t = 1.5 2^52 - z 128/ln 2, and
 * -r = (z + n HI) + n LO, which enters the polynomial through the splats -1/6 and -1/120 and one subtraction.
 *
 * The integer n = round(-128 z / ln 2) is read from the bits of t without converting: t lies in
 * [2^52, 2^53) (|n| < 2^51), where one unit is one unit in the last place, so bits(t) = bits(1.5 2^52) + n,
 * and the low 32 bits of bits(1.5 2^52) are 0: the low bits of bits(t) are those of n (two's complement),
 * which gives j = n & 127. The scale 2^k, k = floor(n / 128), needs the exponent field
 * k + 1023 = (n + 1023 * 128) >> 7, a logical shift since n + 1023 * 128 >= 0 for z <= 709
 * (n >= -130,900): so ((bits(t) - expBias) >>> 7) << 52 is the double 2^k (normal for k >= -1022, i.e.
 * z <= 708.3). One subtraction and two shifts: the arithmetic shift of a signed n, which SSE lacks for
 * 64-bit lanes, cost V8 six instructions.
 */
// @ts-ignore: decorator
@inline export function expNegX2(
  z: v128,
  invLn2: v128,
  shift: v128,
  ln2Hi: v128,
  ln2Lo: v128,
  c2: v128,
  minusC6: v128,
  c24: v128,
  minusC120: v128,
  expBias: v128,
): v128 {
  const t = f64x2.sub(shift, f64x2.mul(z, invLn2));
  const nd = f64x2.sub(t, shift);
  const mr = f64x2.add(f64x2.add(z, f64x2.mul(nd, ln2Hi)), f64x2.mul(nd, ln2Lo));
  const e0 = v128.load(<usize>(i32x4.extract_lane(t, 0) & 127) << 4, EXP2_AT);
  const e1 = v128.load(<usize>(i32x4.extract_lane(t, 2) & 127) << 4, EXP2_AT);
  const hi = v128.shuffle<f64>(e0, e1, 0, 2);
  const lo = v128.shuffle<f64>(e0, e1, 1, 3);
  const scale = i64x2.shl(i64x2.shr_u(i64x2.sub(t, expBias), 7), 52);
  const r2 = f64x2.mul(mr, mr);
  const p = f64x2.add(
    f64x2.sub(f64x2.mul(r2, f64x2.add(c2, f64x2.mul(mr, minusC6))), mr),
    f64x2.mul(f64x2.mul(r2, r2), f64x2.add(c24, f64x2.mul(mr, minusC120))),
  );
  return f64x2.mul(f64x2.add(hi, f64x2.add(lo, f64x2.mul(hi, p))), scale);
}
