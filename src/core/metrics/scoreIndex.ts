/**
 * @internal A hash map from doubles to slot numbers, for the exact mode of `RocAucAccumulator`: open
 * addressing with linear probing on the double's bit pattern, in typed arrays. About 3x faster than a `Map`
 * with number keys, which hashes each double through a heap number. Keys are never NaN, and -0 is stored
 * as +0 by the caller. The load factor stays at most 1/2.
 */
const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);

export class ScoreIndex {
  private keys = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(-1);
  private mask = 1023;
  private size = 0;

  private static hash(s: number): number {
    scratch[0] = s;
    // A multiplicative mix of both halves (the low half alone is 0 for short decimals like 0.5).
    return Math.imul(bits[0]! ^ Math.imul(bits[1]!, 0x9e3779b1), 0x85ebca6b) ^ (bits[1]! >>> 7);
  }

  /** The slot of score s, or -1. */
  get(s: number): number {
    let i = ScoreIndex.hash(s) & this.mask;
    for (;;) {
      const slot = this.slots[i]!;
      if (slot < 0 || this.keys[i] === s) return slot;
      i = (i + 1) & this.mask;
    }
  }

  /** Records score s (absent) at `slot`. */
  set(s: number, slot: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    let i = ScoreIndex.hash(s) & this.mask;
    while (this.slots[i]! >= 0) i = (i + 1) & this.mask;
    this.keys[i] = s;
    this.slots[i] = slot;
    this.size++;
  }

  private grow(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Float64Array(keys.length * 2);
    this.slots = new Int32Array(keys.length * 2).fill(-1);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (slots[i]! >= 0) this.set(keys[i]!, slots[i]!);
  }
}
