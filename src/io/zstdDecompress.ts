/**
 * Zstandard decompression (RFC 8878), for Parquet pages compressed with ZSTD: hyparquet decodes snappy
 * itself, Node 20's zlib has no zstd, and xent takes no dependency for it. A straight reading of the RFC,
 * one frame after another into an output of known size: raw, RLE and compressed blocks; raw, RLE, Huffman
 * and treeless literals (1 or 4 streams); sequences with predefined, RLE, FSE-compressed and repeated tables;
 * the three repeat offsets. No dictionaries (Parquet writers use none). The content checksum is skipped.
 * Malformed input throws an Error; it never reads or writes out of bounds (typed arrays would ignore it
 * silently, so every copy is checked).
 */

/** Decompresses `input` (one or more zstd frames) into exactly `size` bytes. */
export function zstdDecompress(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  let p = 0;
  while (p < input.length) {
    if (p + 4 > input.length) throw corrupt("truncated frame header");
    const magic = (input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16) | (input[p + 3]! << 24)) >>> 0;
    p += 4;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // A skippable frame: its 4-byte size, then that many bytes.
      if (p + 4 > input.length) throw corrupt("truncated skippable frame");
      p += 4 + readLE(input, p, 4);
      continue;
    }
    if (magic !== 0xfd2fb528) throw corrupt("not a zstd frame (bad magic number)");
    const frame = new FrameDecoder(input, p, out, o);
    const end = frame.run();
    p = end.input;
    o = end.output;
  }
  if (o !== size) throw corrupt(`decompressed to ${o} bytes where ${size} were expected`);
  return out;
}

function corrupt(what: string): Error {
  return new Error(`zstd: ${what}`);
}

function readLE(b: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[p + i]!;
  return v;
}

function highBit(x: number): number {
  return 31 - Math.clz32(x);
}

/**
 * A bitstream read backwards (how zstd writes Huffman and FSE streams): the last byte's highest set bit
 * marks the end; reading goes from there towards bit 0 of the first byte. Bits past the start read as 0
 * (`pos` goes negative: the decoders check for that where it is an error).
 */
class BackwardBits {
  pos: number;

  constructor(
    private readonly b: Uint8Array,
    private readonly start: number,
    end: number,
  ) {
    if (end <= start) throw corrupt("empty bitstream");
    const last = b[end - 1]!;
    if (last === 0) throw corrupt("bitstream without its end mark");
    this.pos = (end - 1 - start) * 8 + highBit(last);
  }

  /** The `n` (<= 24) bits below the current position, without moving. */
  peek(n: number): number {
    const at = this.pos - n;
    if (at >= 0) return this.bitsAt(at, n);
    if (at + n <= 0) return 0;
    return this.bitsAt(0, n + at) << -at;
  }

  read(n: number): number {
    if (n === 0) return 0;
    if (n > 24) {
      const high = this.read(n - 24);
      return high * 16777216 + this.read(24);
    }
    const v = this.peek(n);
    this.pos -= n;
    return v;
  }

  private bitsAt(at: number, n: number): number {
    const b = this.b;
    const i = this.start + (at >> 3);
    // (Out-of-range typed-array reads give undefined, which | turns into 0.)
    const word = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    return (word >>> (at & 7)) & ((1 << n) - 1);
  }
}

/** An FSE decoding table: per state, the symbol, the bits to read and the base of the next state. */
interface FseTable {
  log: number;
  symbol: Uint8Array;
  bits: Uint8Array;
  base: Uint16Array;
}

/** The decoding table of a normalized distribution (counts summing to 2^log, -1 for "less than 1"). */
function buildFse(counts: readonly number[], log: number): FseTable {
  const size = 1 << log;
  const symbol = new Uint8Array(size);
  const bits = new Uint8Array(size);
  const base = new Uint16Array(size);
  const next = new Array<number>(counts.length);
  let high = size - 1;
  for (let s = 0; s < counts.length; s++) {
    if (counts[s] === -1) {
      symbol[high--] = s;
      next[s] = 1;
    } else next[s] = counts[s]!;
  }
  // Spread the symbols over the table with the RFC's step, skipping the "less than 1" slots at the top.
  const step = (size >> 1) + (size >> 3) + 3;
  let pos = 0;
  for (let s = 0; s < counts.length; s++) {
    for (let i = 0; i < counts[s]!; i++) {
      symbol[pos] = s;
      do pos = (pos + step) & (size - 1);
      while (pos > high);
    }
  }
  if (pos !== 0) throw corrupt("invalid FSE distribution");
  for (let u = 0; u < size; u++) {
    const s = symbol[u]!;
    const n = next[s]!++;
    const nb = log - highBit(n);
    bits[u] = nb;
    base[u] = (n << nb) - size;
  }
  return { log, symbol, bits, base };
}

/**
 * Reads an FSE table description (RFC 8878 4.1.1) at `p`, forward (least significant bit first); returns the
 * table and the offset after it.
 */
function readFse(b: Uint8Array, p: number, end: number, maxLog: number, maxSymbol: number): { table: FseTable; next: number } {
  let bitPos = 0;
  const bitsAt = (n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const at = bitPos + k;
      const byte = p + (at >> 3);
      // Past the end reads as 0 (a peek may look further than the description goes; checked below).
      if (byte < end) v |= ((b[byte]! >> (at & 7)) & 1) << k;
    }
    return v;
  };
  const log = bitsAt(4) + 5;
  bitPos = 4;
  if (log > maxLog) throw corrupt(`FSE accuracy log ${log} above ${maxLog}`);
  let remaining = (1 << log) + 1;
  let threshold = 1 << log;
  let nbBits = log + 1;
  const counts: number[] = [];
  while (remaining > 1) {
    if (counts.length > maxSymbol) throw corrupt("FSE table description has too many symbols");
    const max = 2 * threshold - 1 - remaining;
    let count: number;
    const low = bitsAt(nbBits - 1);
    if (low < max) {
      count = low;
      bitPos += nbBits - 1;
    } else {
      count = bitsAt(nbBits);
      if (count >= threshold) count -= max;
      bitPos += nbBits;
    }
    count--;
    remaining -= count < 0 ? -count : count;
    counts.push(count);
    if (count === 0) {
      // Zero counts are followed by 2-bit repeat flags: that many more zeros, again while the flag is 3.
      for (;;) {
        const r = bitsAt(2);
        bitPos += 2;
        for (let k = 0; k < r; k++) counts.push(0);
        if (r !== 3) break;
      }
    }
    while (remaining < threshold) {
      nbBits--;
      threshold >>= 1;
    }
  }
  const next = p + ((bitPos + 7) >> 3);
  if (remaining !== 1 || counts.length > maxSymbol + 1 || next > end) throw corrupt("invalid FSE table description");
  return { table: buildFse(counts, log), next };
}

// The predefined distributions (RFC 8878 3.1.1.3.2.2) and the codes' baselines and extra bits.
const LL_DEFAULT = [4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1];
const ML_DEFAULT = [
  1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  -1, -1, -1, -1, -1, -1, -1,
];
const OF_DEFAULT = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1];
const LL_BASE = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
  16384, 32768, 65536,
];
const LL_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ML_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41,
  43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051, 4099, 8195, 16387, 32771, 65539,
];
const ML_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9,
  10, 11, 12, 13, 14, 15, 16,
];
let defaults: { ll: FseTable; ml: FseTable; of: FseTable } | null = null;

/** A one-symbol table (RLE mode): every state is `s`, read no bits. */
function rleFse(s: number): FseTable {
  return { log: 0, symbol: Uint8Array.of(s), bits: Uint8Array.of(0), base: Uint16Array.of(0) };
}

/** A Huffman decoding table: indexed by the next `maxBits` bits, the symbol and its code length. */
interface HuffmanTable {
  maxBits: number;
  symbol: Uint8Array;
  bits: Uint8Array;
}

let literalScratch = new Uint8Array(1 << 17);

/** One frame: its header at `p` (after the magic number), then its blocks, written into `out` from `o`. */
class FrameDecoder {
  private ll: FseTable | null = null;
  private ml: FseTable | null = null;
  private of: FseTable | null = null;
  private huffman: HuffmanTable | null = null;
  private readonly reps = [1, 4, 8];
  private readonly start: number;

  constructor(
    private readonly b: Uint8Array,
    private p: number,
    private readonly out: Uint8Array,
    private o: number,
  ) {
    this.start = o;
  }

  run(): { input: number; output: number } {
    const b = this.b;
    if (this.p >= b.length) throw corrupt("truncated frame header");
    const d = b[this.p++]!;
    const fcsFlag = d >> 6;
    const single = (d >> 5) & 1;
    const checksum = (d >> 2) & 1;
    const dictFlag = d & 3;
    if ((d >> 3) & 1) throw corrupt("reserved bit set in the frame header");
    if (!single) this.p++; // window descriptor: the output is one buffer, so the window does not matter
    const dictSize = [0, 1, 2, 4][dictFlag]!;
    if (dictSize > 0 && readLE(b, this.p, dictSize) !== 0) throw corrupt("frame needs a dictionary");
    this.p += dictSize;
    const fcsSize = [single, 2, 4, 8][fcsFlag]!;
    let contentSize = -1;
    if (fcsSize > 0) {
      contentSize = readLE(b, this.p, fcsSize) + (fcsSize === 2 ? 256 : 0);
      this.p += fcsSize;
    }
    for (let last = 0; !last; ) {
      if (this.p + 3 > b.length) throw corrupt("truncated block header");
      const h = b[this.p]! | (b[this.p + 1]! << 8) | (b[this.p + 2]! << 16);
      this.p += 3;
      last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >> 3;
      if (type === 0) {
        if (this.p + size > b.length) throw corrupt("truncated raw block");
        this.room(size);
        this.out.set(b.subarray(this.p, this.p + size), this.o);
        this.o += size;
        this.p += size;
      } else if (type === 1) {
        if (this.p >= b.length) throw corrupt("truncated RLE block");
        this.room(size);
        this.out.fill(b[this.p]!, this.o, this.o + size);
        this.o += size;
        this.p += 1;
      } else if (type === 2) {
        if (this.p + size > b.length) throw corrupt("truncated compressed block");
        this.block(this.p, this.p + size);
        this.p += size;
      } else throw corrupt("reserved block type");
    }
    if (contentSize >= 0 && this.o - this.start !== contentSize) throw corrupt("frame content size mismatch");
    if (checksum) this.p += 4;
    if (this.p > b.length) throw corrupt("truncated frame");
    return { input: this.p, output: this.o };
  }

  private room(n: number): void {
    if (this.o + n > this.out.length) throw corrupt("more output than expected");
  }

  /** A compressed block in `b[p, end)`: literals, then sequences executed into the output. */
  private block(p: number, end: number): void {
    const b = this.b;
    // Literals section header.
    const b0 = b[p]!;
    const litType = b0 & 3;
    const sizeFormat = (b0 >> 2) & 3;
    let regen: number;
    let lits: Uint8Array;
    if (litType === 0 || litType === 1) {
      let header: number;
      if ((sizeFormat & 1) === 0) {
        regen = b0 >> 3;
        header = 1;
      } else if (sizeFormat === 1) {
        regen = (b0 >> 4) + (b[p + 1]! << 4);
        header = 2;
      } else {
        regen = (b0 >> 4) + (b[p + 1]! << 4) + (b[p + 2]! << 12);
        header = 3;
      }
      p += header;
      if (litType === 0) {
        if (p + regen > end) throw corrupt("truncated raw literals");
        lits = b.subarray(p, p + regen);
        p += regen;
      } else {
        if (p >= end) throw corrupt("truncated RLE literals");
        lits = this.literalBuffer(regen);
        lits.fill(b[p]!);
        p += 1;
      }
    } else {
      let comp: number;
      let header: number;
      const streams = sizeFormat === 0 ? 1 : 4;
      if (sizeFormat <= 1) {
        const v = b0 | (b[p + 1]! << 8) | (b[p + 2]! << 16);
        regen = (v >> 4) & 0x3ff;
        comp = (v >> 14) & 0x3ff;
        header = 3;
      } else if (sizeFormat === 2) {
        const v = (b0 | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
        regen = (v >>> 4) & 0x3fff;
        comp = v >>> 18;
        header = 4;
      } else {
        const v = (b0 | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
        regen = (v >>> 4) & 0x3ffff;
        comp = (v >>> 22) + b[p + 4]! * 1024;
        header = 5;
      }
      p += header;
      const litEnd = p + comp;
      if (litEnd > end) throw corrupt("truncated compressed literals");
      if (litType === 2) p = this.readHuffman(p, litEnd);
      else if (this.huffman === null) throw corrupt("treeless literals without a previous Huffman table");
      lits = this.literalBuffer(regen);
      this.decodeLiterals(p, litEnd, streams, lits);
      p = litEnd;
    }
    // Sequences section.
    if (p >= end) throw corrupt("truncated sequences section");
    let nSeq = b[p++]!;
    if (nSeq >= 128) {
      if (nSeq === 255) {
        nSeq = b[p]! + (b[p + 1]! << 8) + 0x7f00;
        p += 2;
      } else {
        nSeq = ((nSeq - 128) << 8) + b[p]!;
        p += 1;
      }
    }
    if (nSeq === 0) {
      this.room(lits.length);
      this.out.set(lits, this.o);
      this.o += lits.length;
      return;
    }
    const modes = b[p++]!;
    if (modes & 3) throw corrupt("reserved bits in the sequence compression modes");
    defaults ??= { ll: buildFse(LL_DEFAULT, 6), ml: buildFse(ML_DEFAULT, 6), of: buildFse(OF_DEFAULT, 5) };
    const table = (mode: number, previous: FseTable | null, standard: FseTable, maxLog: number, maxSymbol: number): FseTable => {
      if (mode === 0) return standard;
      if (mode === 1) {
        if (p >= end) throw corrupt("truncated RLE table");
        return rleFse(b[p++]!);
      }
      if (mode === 2) {
        const r = readFse(b, p, end, maxLog, maxSymbol);
        p = r.next;
        return r.table;
      }
      if (previous === null) throw corrupt("repeated table without a previous one");
      return previous;
    };
    this.ll = table(modes >> 6, this.ll, defaults.ll, 9, 35);
    this.of = table((modes >> 4) & 3, this.of, defaults.of, 8, 31);
    this.ml = table((modes >> 2) & 3, this.ml, defaults.ml, 9, 52);
    this.sequences(p, end, nSeq, lits);
  }

  /** Room for a block's literals (at most 128 KB), shared by all frames: decoding is synchronous. */
  private literalBuffer(n: number): Uint8Array {
    if (n > literalScratch.length) literalScratch = new Uint8Array(n);
    return literalScratch.subarray(0, n);
  }

  /** The Huffman tree description at `p` (RFC 8878 4.2.1); returns the offset after it. */
  private readHuffman(p: number, end: number): number {
    const b = this.b;
    const h = b[p++]!;
    const weights: number[] = [];
    if (h >= 128) {
      const n = h - 127;
      const bytes = (n + 1) >> 1;
      if (p + bytes > end) throw corrupt("truncated Huffman weights");
      for (let i = 0; i < n; i++) weights.push(i & 1 ? b[p + (i >> 1)]! & 15 : b[p + (i >> 1)]! >> 4);
      p += bytes;
    } else {
      // FSE-compressed weights: a table description, then two interleaved states over a backward stream.
      const wEnd = p + h;
      if (wEnd > end) throw corrupt("truncated Huffman weights");
      const { table, next } = readFse(b, p, wEnd, 6, 255);
      const bits = new BackwardBits(b, next, wEnd);
      let s1 = bits.read(table.log);
      let s2 = bits.read(table.log);
      for (;;) {
        if (weights.length > 255) throw corrupt("too many Huffman weights");
        weights.push(table.symbol[s1]!);
        s1 = table.base[s1]! + bits.read(table.bits[s1]!);
        if (bits.pos < 0) {
          weights.push(table.symbol[s2]!);
          break;
        }
        weights.push(table.symbol[s2]!);
        s2 = table.base[s2]! + bits.read(table.bits[s2]!);
        if (bits.pos < 0) {
          weights.push(table.symbol[s1]!);
          break;
        }
      }
      p = wEnd;
    }
    // The last symbol's weight is implied: the weights' 2^(w-1) must add up to a power of two.
    let total = 0;
    for (const w of weights) {
      if (w > 11) throw corrupt("Huffman weight above 11");
      if (w > 0) total += 1 << (w - 1);
    }
    if (total === 0) throw corrupt("Huffman weights all zero");
    const maxBits = highBit(total) + 1;
    const rest = (1 << maxBits) - total;
    if (rest !== 1 << highBit(rest)) throw corrupt("Huffman weights do not complete a tree");
    weights.push(highBit(rest) + 1);
    if (maxBits > 11) throw corrupt("Huffman code longer than 11 bits");
    // Codes by weight, lightest (longest) first, each symbol filling 2^(w-1) consecutive slots.
    const size = 1 << maxBits;
    const symbol = new Uint8Array(size);
    const len = new Uint8Array(size);
    const rankStart = new Array<number>(maxBits + 2).fill(0);
    const rankCount = new Array<number>(maxBits + 2).fill(0);
    for (const w of weights) if (w > 0) rankCount[w]! += 1;
    let next = 0;
    for (let w = 1; w <= maxBits; w++) {
      rankStart[w] = next;
      next += rankCount[w]! << (w - 1);
    }
    for (let s = 0; s < weights.length; s++) {
      const w = weights[s]!;
      if (w === 0) continue;
      const n = 1 << (w - 1);
      const at = rankStart[w]!;
      symbol.fill(s, at, at + n);
      len.fill(maxBits + 1 - w, at, at + n);
      rankStart[w] = at + n;
    }
    this.huffman = { maxBits, symbol, bits: len };
    return p;
  }

  private decodeLiterals(p: number, end: number, streams: number, lits: Uint8Array): void {
    if (streams === 1) return this.huffmanStream(p, end, lits, 0, lits.length);
    if (p + 6 > end) throw corrupt("truncated literal jump table");
    const b = this.b;
    const s1 = b[p]! | (b[p + 1]! << 8);
    const s2 = b[p + 2]! | (b[p + 3]! << 8);
    const s3 = b[p + 4]! | (b[p + 5]! << 8);
    const starts = [p + 6, p + 6 + s1, p + 6 + s1 + s2, p + 6 + s1 + s2 + s3, end];
    if (starts[3]! > end) throw corrupt("invalid literal jump table");
    const segment = Math.ceil(lits.length / 4);
    for (let k = 0; k < 4; k++) {
      const from = Math.min(k * segment, lits.length);
      const to = k === 3 ? lits.length : Math.min((k + 1) * segment, lits.length);
      this.huffmanStream(starts[k]!, starts[k + 1]!, lits, from, to);
    }
  }

  private huffmanStream(p: number, end: number, lits: Uint8Array, from: number, to: number): void {
    const { maxBits, symbol, bits: len } = this.huffman!;
    const bits = new BackwardBits(this.b, p, end);
    for (let i = from; i < to; i++) {
      const k = bits.peek(maxBits);
      lits[i] = symbol[k]!;
      bits.pos -= len[k]!;
    }
    if (bits.pos !== 0) throw corrupt("Huffman stream does not end where its literals do");
  }

  /** Decodes and executes `n` sequences from the backward stream in `b[p, end)`. */
  private sequences(p: number, end: number, n: number, lits: Uint8Array): void {
    const ll = this.ll!;
    const of = this.of!;
    const ml = this.ml!;
    const bits = new BackwardBits(this.b, p, end);
    let sLL = bits.read(ll.log);
    let sOF = bits.read(of.log);
    let sML = bits.read(ml.log);
    const out = this.out;
    const reps = this.reps;
    const start = this.start;
    let o = this.o;
    let lit = 0;
    for (let i = 0; i < n; i++) {
      const ofCode = of.symbol[sOF]!;
      const mlCode = ml.symbol[sML]!;
      const llCode = ll.symbol[sLL]!;
      if (ofCode > 31 || mlCode > 52 || llCode > 35) throw corrupt("invalid sequence code");
      let offset = (ofCode < 31 ? 1 << ofCode : 2 ** 31) + bits.read(ofCode);
      const matchLength = ML_BASE[mlCode]! + bits.read(ML_BITS[mlCode]!);
      const literalLength = LL_BASE[llCode]! + bits.read(LL_BITS[llCode]!);
      // Offsets 1-3 are the repeat offsets (shifted by one when there are no literals), the rest offset - 3.
      if (offset > 3) {
        offset -= 3;
        reps[2] = reps[1]!;
        reps[1] = reps[0]!;
        reps[0] = offset;
      } else {
        const r = offset - 1 + (literalLength === 0 ? 1 : 0);
        if (r === 0) offset = reps[0]!;
        else {
          offset = r === 3 ? reps[0]! - 1 : reps[r]!;
          if (offset === 0) throw corrupt("zero offset");
          if (r !== 1) reps[2] = reps[1]!;
          reps[1] = reps[0]!;
          reps[0] = offset;
        }
      }
      if (i + 1 < n) {
        sLL = ll.base[sLL]! + bits.read(ll.bits[sLL]!);
        sML = ml.base[sML]! + bits.read(ml.bits[sML]!);
        sOF = of.base[sOF]! + bits.read(of.bits[sOF]!);
      }
      if (bits.pos < 0) throw corrupt("sequence stream overrun");
      // Execute: the literals, then the match (which may overlap what it writes). Short runs by a byte loop
      // (cheaper than a subarray and a native call), long ones by set / copyWithin.
      if (lit + literalLength > lits.length) throw corrupt("sequence uses more literals than there are");
      if (o + literalLength + matchLength > out.length) throw corrupt("more output than expected");
      if (literalLength < 32) for (let k = 0; k < literalLength; k++) out[o++] = lits[lit++]!;
      else {
        out.set(lits.subarray(lit, lit + literalLength), o);
        o += literalLength;
        lit += literalLength;
      }
      if (offset > o - start) throw corrupt("match offset before the start of the frame");
      let from = o - offset;
      if (offset >= matchLength && matchLength >= 32) {
        out.copyWithin(o, from, from + matchLength);
        o += matchLength;
      } else {
        for (let k = 0; k < matchLength; k++) out[o++] = out[from++]!;
      }
    }
    this.o = o;
    if (bits.pos !== 0) throw corrupt("sequence stream does not end with its sequences");
    const rest = lits.length - lit;
    this.room(rest);
    out.set(lits.subarray(lit), this.o);
    this.o += rest;
  }
}
