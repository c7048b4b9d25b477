/**
 * Feature hashing: names of sparse features (a namespace and a feature name, or a libsvm column number) to
 * 32-bit hashes, which the online model masks to its 2^b weights (the "hashing trick", Weinberger et al. 2009).
 *
 * The hash is MurmurHash3 x86_32 (Austin Appleby, public domain; the reference is `MurmurHash3_x86_32` in
 * smhasher's MurmurHash3.cpp), over the UTF-8 bytes, as Vowpal Wabbit's `hashstring`: a name made only of
 * the digits 0-9 is not hashed but read as a number and added to the seed (so libsvm column 7 and the VW
 * feature "7" of the default namespace are both 7), and a namespace's name hashed with seed 0 is the seed of
 * its features' hashes (the default namespace, `|` with no name, has seed 0).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** 2^32, to keep a digit string's value modulo 2^32 exactly (10 * v + d stays below 2^36, exact in a double). */
const TWO32 = 4294967296;

/**
 * MurmurHash3 x86_32 of `bytes[start, end)` with `seed` (an unsigned 32-bit integer): the reference
 * algorithm, blocks of four bytes read little-endian, the tail, then the finalization mix. `Math.imul` is the
 * 32-bit multiplication of the C code; `>>> 0` makes the result unsigned.
 *
 * @example murmurHash3x86_32(new TextEncoder().encode("test"), 0, 4, 0) // 3127628307 (0xba6bd213)
 */
export function murmurHash3x86_32(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  const len = end - start;
  const blocksEnd = start + (len & ~3);
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The tail: one to three bytes, little-endian (the C code's switch with fall-through).
  const tail = len & 3;
  if (tail > 0) {
    let k = bytes[i]!;
    if (tail > 1) k |= bytes[i + 1]! << 8;
    if (tail > 2) k |= bytes[i + 2]! << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Vowpal Wabbit's `hashstring` of `bytes[start, end)` (spaces and tabs around it ignored): a name of digits
 * only is its value plus `seed` (modulo 2^32), anything else (the empty name too) its MurmurHash3 x86_32 with
 * `seed`. Returns an unsigned 32-bit integer.
 */
export function hashFeatureBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  if (start === end) return murmurHash3x86_32(bytes, start, end, seed);
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) return murmurHash3x86_32(bytes, start, end, seed);
    v = (10 * v + d) % TWO32;
  }
  return (v + (seed >>> 0)) % TWO32;
}

const encoder = new TextEncoder();

/**
 * `hashFeatureBytes` of a string's UTF-8 bytes: the hash of a namespace (`hashFeature(namespace, 0)`) or of a
 * feature in it (`hashFeature(feature, namespaceHash)`).
 *
 * @example hashFeature("42", 0) // 42
 * @example hashFeature("test", 0) // 3127628307
 */
export function hashFeature(name: string, seed: number): number {
  if (typeof name !== "string") throw new TypeError(`hashFeature: name is not a string`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed < TWO32))
    throw new RangeError(`hashFeature: seed = ${String(seed)} is not an integer in [0, 2^32)`);
  const bytes = encoder.encode(name);
  return hashFeatureBytes(bytes, 0, bytes.length, seed);
}
