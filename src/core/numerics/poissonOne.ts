import { counterWord, counterWordFlipped, counterWordLow } from "./counterHash.js";

/**
 * The inversion table of Poisson(1): `G[k] = ceil(F(k) * 2^64)` split into its high and low 32 bits, where
 * `F(k) = P(K <= k) = e^-1 * sum_{j <= k} 1/j!`, for k = 0..19 (the last k with G[k] < 2^64; P(K >= 20) is
 * 1.6e-19). Computed with mpmath at 300 bits by test/fixtures/generate_poisson_one.py, whose output
 * (test/fixtures/poisson_one_table.json) a test compares with these numbers.
 */
const HIGH = [
  1580030168, 3160060337, 3950075421, 4213413783, 4279248373, 4292415291, 4294609777, 4294923276, 4294962463, 4294966817, 4294967252, 4294967292,
  4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295, 4294967295,
];
const LOW = [
  3015499547, 1736031798, 3243781571, 883053298, 2440354878, 2751815194, 4235381012, 152351690, 1252585761, 1852052579, 3629986180, 1839358645,
  3121795449, 4211590733, 4289433254, 4294622755, 4294947099, 4294966178, 4294967238, 4294967294,
];

/** The largest draw: every uniform at or past G[19] gives 20 (probability 1.6e-19, lumped). */
export const POISSON_ONE_MAX = 20;

// The high words of G[0..3] with the top bit flipped (signed int32), for the branch-free common path.
const F0 = 1580030168 ^ -0x80000000;
const F1 = 3160060337 ^ -0x80000000;
const F2 = 3950075421 ^ -0x80000000;
const F3 = 4213413783 ^ -0x80000000;

/**
 * A Poisson(1) draw for replicate `r` of the row keyed `(h1, h2)` (see `counterHash.ts`): the bootstrap weight
 * of that row in that replicate.
 *
 * ## Method
 * Inversion of a uniform 64-bit integer U = (u1, u2): K = min{k : U < G[k]} (20 past G[19]), so that
 * P(K = k) = (G[k] - G[k-1]) / 2^64, within 2^-64 of e^-1 / k!. The high word u1 decides alone unless it
 * equals a G[k]'s high word (probability 2^-32 per boundary; always from k = 12 on, where the high words are
 * all 2^32 - 1): only then is the low word u2 computed. Common path (98.1% of draws, u1 < G[3]'s high word
 * and on no boundary): K is the number of boundaries below u1, three comparisons added without a branch
 * (K is 0, 1 or 2 at random: a branch per outcome would be mispredicted about half the time).
 */
export function poissonOneDraw(h1: number, h2: number, r: number): number {
  const x = counterWordFlipped(h1, h2, r); // u1 with its top bit flipped: signed order = unsigned order of u1
  if (x >= F3 || x === F0 || x === F1 || x === F2) return tailDraw(h1, h2, r);
  return (x > F0 ? 1 : 0) + (x > F1 ? 1 : 0) + (x > F2 ? 1 : 0);
}

/** The rare path: K >= 3, or u1 on a boundary, where the low word may decide. */
function tailDraw(h1: number, h2: number, r: number): number {
  const u1 = counterWord(h1, h2, r);
  let u2 = -1;
  let k = 0;
  for (; k < POISSON_ONE_MAX; k++) {
    const g = HIGH[k]!;
    if (u1 < g) return k;
    if (u1 === g) {
      if (u2 < 0) u2 = counterWordLow(h1, h2, r);
      if (u2 < LOW[k]!) return k;
    }
  }
  return k;
}

/** The table as [high, low] pairs (for the test against the mpmath fixture). */
export function poissonOneTable(): [number, number][] {
  return HIGH.map((h, k) => [h, LOW[k]!]);
}
