/**
 * A counter-based generator: uniform 32-bit words that are a pure function of a key (a seed and a row's
 * identity) and a counter (the bootstrap replicate), so that any row's draws can be recomputed anywhere, in
 * any order, on any shard, without a generator state to carry from row to row.
 *
 * ## Method
 * The key is hashed once into 64 bits `(h1, h2)` with MurmurHash3's block step and finalizer (Austin
 * Appleby, public domain); the counter's word is then `fmix32((h1 + r * 0x9e3779b9) ^ h2)`, a Weyl sequence
 * (the golden-ratio increment visits all 2^32 values) through MurmurHash3's finalizer, whose avalanche makes
 * each output bit depend on every input bit (the construction of SplitMix, Steele, Lea & Flood 2014, in 32
 * bits). Two keys that differ anywhere give unrelated streams except with probability about 2^-64.
 */

/** MurmurHash3's 32-bit finalizer: a bijection of 32-bit words with full avalanche. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** MurmurHash3's block step: mixes the word `k` into the running hash `h`. */
function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A 32-bit hash of a text's UTF-16 code units (MurmurHash3 over one code unit per word), with a seed. */
export function hashText32(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = mixWord(h, text.charCodeAt(i));
  return fmix32(h ^ text.length);
}

/** The increment of the counter's Weyl sequence: 2^32 / golden ratio, odd. */
export const WEYL_INCREMENT = 0x9e3779b9;

/**
 * The 64-bit key `(h1, h2)` of a row, written into `out[0]`, `out[1]`: from a 32-bit seed, the two 32-bit
 * hashes of its source (`hashText32` with two seeds) and its ordinal in the source (a safe integer >= 0).
 */
export function rowKey(seed: number, sourceA: number, sourceB: number, ordinal: number, out: Uint32Array): void {
  const lo = ordinal >>> 0;
  const hi = Math.floor(ordinal / 4294967296) >>> 0;
  out[0] = fmix32(mixWord(mixWord(mixWord(mixWord(seed, sourceA), lo), hi), 0x2545f491) ^ 16);
  out[1] = fmix32(mixWord(mixWord(mixWord(mixWord(seed ^ 0x5bd1e995, hi), sourceB), lo), 0x68e31da4) ^ 16);
}

/** The uniform 32-bit word of counter `r` under the key `(h1, h2)`. */
export function counterWord(h1: number, h2: number, r: number): number {
  return fmix32(((h1 + Math.imul(r, WEYL_INCREMENT)) | 0) ^ h2);
}

/**
 * `counterWord` with its top bit flipped, as a signed 32-bit integer: signed comparisons of flipped words
 * order them as the unsigned words, and stay in V8's integer representation (a uint32 above 2^31 is a double).
 */
export function counterWordFlipped(h1: number, h2: number, r: number): number {
  let x = ((h1 + Math.imul(r, WEYL_INCREMENT)) | 0) ^ h2;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x ^ -0x80000000;
}

/** A second, independent word of counter `r` (the low half of a 64-bit uniform). */
export function counterWordLow(h1: number, h2: number, r: number): number {
  return fmix32(((h2 + Math.imul(r, WEYL_INCREMENT)) | 0) ^ h1 ^ 0x27d4eb2f);
}
