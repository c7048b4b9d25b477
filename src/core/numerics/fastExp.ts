import { EXP2 } from "./kernelTables.js";

// The range reduction's constants, from test/fixtures/generate_kernel_tables.py (which also writes them into
// kernelTables.ts, where a test checks that these literals match). Literals here, not imports: V8 folds a
// module's own constants into the code, while each use of an imported binding costs a check that it is
// initialized (about 10 instructions per use, measured in the generated code).
/** 128 / ln 2, rounded. */
const INV_LN2_128 = 184.6649652337873;
/** ln(2)/128 rounded to 35 significant bits: n * LN2_128_HI is exact for |n| < 2^18. */
const LN2_128_HI = 0.0054152123482253955;
/** ln(2)/128 - LN2_128_HI, rounded. */
const LN2_128_LO = -1.0082281460997769e-13;

/**
 * The table of 2^(j/128), copied into this module: V8 reads a module's own constant faster than an
 * imported binding (no check that the import has been initialized), about 0.4 ns per element.
 */
const T = Float64Array.from(EXP2);

/** 2^i for i = -1100..1 indexed by i + 1100: exact powers of two, subnormal below -1022, 0 below -1074. */
const POW2 = new Float64Array(1102);
for (let i = 1101, p = 2; i >= 0; i--, p *= 0.5) POW2[i] = p;

/** 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer (round half to even). */
const SHIFT = 6755399441055744;

/**
 * @internal `exp(x)` for x <= 0 (the only exponentials the losses form: `exp(-|s|)`, `exp(z - max z)`),
 * within 0.51 ulp (1 ulp of 2^-1074 for subnormal results). Written to be inlined into the batch loops: no calls,
 * two table loads, one branch for the rare arguments. Faster than `Math.exp` because it skips the general
 * function's argument checks and the overflow side, and, mostly, because V8 can inline it into the loop.
 *
 * ## Method (Tang's table-driven exp, 1989)
 * 1. Range reduction: `n = round(x * 128/ln 2)`, `r = x - n ln(2)/128` with `|r| <= ln(2)/256 = 0.00271`.
 *    `ln(2)/128 = HI + LO` where HI has 35 significant bits, so `n * HI` is exact for |n| < 2^18 (|x| < 746)
 *    and `x - n * HI` is exact (Sterbenz: the two are within a factor 2 unless n = 0, where r = x). The
 *    rounding of `n * LO` (|LO| = 1e-13) is below 2^-95 relative to the result.
 * 2. `n = 128 k + j` with j = 0..127: `exp(x) = 2^k * 2^(j/128) * exp(r)`, where 2^(j/128) = EXP2[2j] +
 *    EXP2[2j + 1] (double-double from mpmath).
 * 3. `exp(r) - 1 = p(r) = r + r^2/2 + r^3/6 + r^4/24 + r^5/120`, the Taylor polynomial: the first omitted
 *    term r^6/720 <= 5.4e-19 is 0.005 ulp. Evaluated in Estrin's form `r + r^2 (1/2 + r/6) + r^4 (1/24 +
 *    r/120)` for a shorter dependency chain (the loops are bound by latency, not by the count of operations).
 * 4. `T (1 + p) = HI + (LO + HI p)`: the small terms first, one final rounding (0.5 ulp) plus about 0.01 ulp
 *    from the small terms.
 * 5. Scaling by 2^k as `(v / 2) 2^(k+1)` with 2^(k+1) from a table of exact powers of two: v / 2 is exact,
 *    and so is the product for results >= 2^-1022. Below (x < -708.4) the result is subnormal and the
 *    product rounds once more, to a multiple of 2^-1074: v was already rounded to 53 bits, so near a
 *    midpoint of that grid the result can be one 2^-1074 off (measured: at most 1 ulp there). The halving is what makes k = -1075 work: 2^-1075 is not a double, 2^-1074 is.
 *    No branch on k: the only branch is the guard for x <= -746 (and NaN), which a batch almost never
 *    takes and the CPU predicts.
 *
 * ## Special cases
 * exp(0) = exp(-0) = 1; x < -746 (true value < 2^-1076, rounds to 0) and x = -Infinity give 0; NaN gives
 * NaN. Arguments above 0 are outside the contract (the result is right up to x < 709, then wrong).
 */
export function expNonPositive(x: number): number {
  if (!(x > -746)) return x === x ? 0 : x;
  const t = x * INV_LN2_128 + SHIFT;
  const nd = t - SHIFT;
  const r = x - nd * LN2_128_HI - nd * LN2_128_LO;
  const n = nd | 0;
  const j2 = (n & 127) << 1;
  const k = n >> 7;
  const hi = T[j2]!;
  const r2 = r * r;
  const p = r + r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
  return (hi + (T[j2 + 1]! + hi * p)) * 0.5 * POW2[k + 1101]!;
}
