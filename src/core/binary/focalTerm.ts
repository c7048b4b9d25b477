import { logitLoss } from "./binaryTerms.js";
import { expNonPositive } from "../numerics/fastExp.js";
import {
  INV_LN2_128,
  LN2_128_HI,
  LN2_128_LO,
  POW2,
  SHIFT,
  T,
  fastTwoSumError,
  powDoubleDouble,
  productError,
  quotientLow,
  squareDoubleDouble,
  twoSumError,
} from "../numerics/doubleDouble.js";

/**
 * @internal One sample's binary focal loss `alpha_t (1 - p_t)^gamma BCE(y, s)` (alpha < 0: no alpha), for a
 * validated label y in [0, 1] and a non-NaN logit s. Shared by the scalar and batch paths of `focalLoss`
 * (bit-identical results). The double-double steps are the small helpers of doubleDouble.ts, which V8
 * inlines here; focalTerm itself is too large to be inlined into the batch loop. The exp is written out here
 * from doubleDouble.ts's constants and tables instead of calling `expDoubleDouble`: its two results would go
 * through a scratch array, which measured 1.25 to 1.4x slower on the focal batch (gamma = 2).
 *
 * ## Why a double-double base
 * The power multiplies the base's relative error by gamma: with the base `1 - p_t` in double (about 2 ulps)
 * the loss would be 4 + 2 gamma ulps (10.5 measured at gamma = 5). Here the base b = bHi + bLo is a double-double
 * (relative error about 2^-58), and `b^gamma = pow(bHi, gamma) (1 + gamma bLo / bHi)` (the binomial series'
 * first-order term; the next, gamma^2 (bLo/bHi)^2 / 2, is below 2^-100), gamma = 2 as the exact square
 * `bHi^2 + 2 bHi bLo` by Dekker's product: the factor carries Math.pow's error (under 1 ulp) and one
 * rounding whatever gamma is. So the loss stays within about 4 ulps for every gamma (measured: 4.2 for gamma
 * 0..8; the rest is the BCE's and alpha_t's own rounding).
 *
 * ## Method
 * 1. `e = exp(-|s|)` as eHi + eLo (the steps of `expDoubleDouble`: Tang's method as in `expNonPositive`,
 *    keeping the parts; the roundings left are those of the small terms, each under 2^-61 of e). eHi is the exp within
 *    0.51 ulp and feeds the BCE (`logitLoss`) as the plain kernel would. |s| >= 745.2: e = 0.
 * 2. With `sigmoid(|s|) = 1 / (1 + e)`, `sigmoid(-|s|) = e / (1 + e)`, the base is `N / (1 + e)` with
 *    `N = c + e d`, (c, d) = (1 - y, y) for s >= 0 and (y, 1 - y) for s < 0 (N = e or 1 for a hard label):
 *    1 - y exactly by TwoSum, e d by Dekker's product, 1 + e by TwoSum (1 >= e).
 * 3. Double-double division with one division: `q1 = N (1/D)`, the remainder `N - q1 D` exactly
 *    (Dekker), `q2 = rem (1/D)` (`quotientLow`): q1 + q2 is N / D within about 2^-104 relative.
 *
 * ## Special cases
 * A zero alpha_t or a zero BCE gives 0 (FL(1, +Infinity) = 0, even for an infinite BCE times a zero alpha);
 * FL(1, -Infinity) = Infinity (times alpha); gamma = 0 is alpha_t BCE.
 */
export function focalTerm(y: number, s: number, gamma: number, alpha: number): number {
  const alphaT = alpha < 0 ? 1 : y === 1 ? alpha : y === 0 ? 1 - alpha : alpha * y + (1 - alpha) * (1 - y);
  if (alphaT === 0) return 0;
  const z = Math.abs(s);
  if (gamma === 0) {
    const bce0 = logitLoss(y, s, 1, expNonPositive(-z));
    return bce0 === 0 ? 0 : alphaT * bce0;
  }
  // 1. e = eHi + eLo = exp(-z).
  let eHi = 0;
  let eLo = 0;
  if (z < 745.2) {
    const x = -z;
    const nd = x * INV_LN2_128 + SHIFT - SHIFT;
    const a = x - nd * LN2_128_HI; // exact (see fastExp.ts)
    const b = -nd * LN2_128_LO;
    const r = a + b;
    const rLo = twoSumError(a, b, r);
    const n = nd | 0;
    const j2 = (n & 127) << 1;
    const scale = POW2[(n >> 7) + 1101]! * 0.5; // 2^k; k >= -1076 here, where 2^k may round (only then)
    const hi = T[j2]!;
    const r2 = r * r;
    const q = r2 * (0.5 + r * 0.16666666666666666) + r2 * r2 * (0.041666666666666664 + r * 0.008333333333333333);
    const small = T[j2 + 1]! + hi * (rLo * (1 + r) + q) + hi * r;
    const v = hi + small;
    eHi = v * scale;
    eLo = fastTwoSumError(hi, small, v) * scale;
  }
  const bce = logitLoss(y, s, 1, eHi);
  if (bce === 0) return 0;
  // 2. N = c + e d.
  const oy = 1 - y;
  const oyLo = 1 - oy - y; // exact (TwoSum with 1 >= y)
  const positive = s >= 0;
  const c = positive ? oy : y;
  const cLo = positive ? oyLo : 0;
  const d = positive ? y : oy;
  const dLo = positive ? 0 : oyLo;
  const ed = eHi * d;
  const edLo = productError(eHi, d, ed) + (eHi * dLo + eLo * d);
  const nHi = c + ed;
  const nLo = twoSumError(c, ed, nHi) + (cLo + edLo);
  // D = 1 + e.
  const dHi = 1 + eHi;
  const dLo2 = fastTwoSumError(1, eHi, dHi) + eLo;
  // 3. b = N / D.
  const inv = 1 / dHi;
  const q1 = nHi * inv; // within 1 ulp; the exact remainder corrects it
  const q2 = quotientLow(nHi, nLo, dHi, dLo2, q1, inv);
  const bHi = q1 + q2;
  const bLo = fastTwoSumError(q1, q2, bHi);
  const modulating = bHi === 0 ? 0 : gamma === 2 ? squareDoubleDouble(bHi, bLo) : powDoubleDouble(bHi, bLo, gamma);
  return alphaT * (modulating * bce);
}
