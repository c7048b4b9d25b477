import { describe, expect, it } from "vitest";
import { FtrlProximal, LogisticRegression, logisticLoss } from "../src/index.js";
import { rng as mulberry32 } from "./rng.js";

/**
 * McMahan et al. (2013), Algorithm 1, transcribed line by line with plain dictionaries and Math.exp: the
 * reference the model is compared with. The constant is feature "bias" of value 1 in every example.
 */
class Transcription {
  z = new Map<string, number>();
  n = new Map<string, number>();
  constructor(
    readonly alpha: number,
    readonly beta: number,
    readonly l1: number,
    readonly l2: number,
  ) {}
  w(i: string): number {
    const z = this.z.get(i) ?? 0;
    const n = this.n.get(i) ?? 0;
    if (Math.abs(z) <= this.l1) return 0;
    return -(z - Math.sign(z) * this.l1) / ((this.beta + Math.sqrt(n)) / this.alpha + this.l2);
  }
  learn(x: Map<string, number>, y: number): number {
    const xs = new Map(x).set("bias", 1);
    const w = new Map([...xs.keys()].map((i) => [i, this.w(i)]));
    let s = 0;
    for (const [i, v] of xs) s += w.get(i)! * v;
    const p = 1 / (1 + Math.exp(-s));
    for (const [i, v] of xs) {
      const g = (p - y) * v;
      const n = this.n.get(i) ?? 0;
      const sigma = (Math.sqrt(n + g * g) - Math.sqrt(n)) / this.alpha;
      this.z.set(i, (this.z.get(i) ?? 0) + g - sigma * w.get(i)!);
      this.n.set(i, n + g * g);
    }
    return s;
  }
}

const one = (i: number, v = 1) => [Int32Array.of(i), Float64Array.of(v), 1] as const;

describe("FtrlProximal: Algorithm 1", () => {
  it("the first update by hand: z = g, n = g^2, then w = -z / ((beta + sqrt(n)) / alpha)", () => {
    const m = new FtrlProximal({ alpha: 0.1, beta: 1, bits: 4 });
    // w = 0, s = 0, p = 1/2; y = 1: g = p - y = -1/2 for feature 3 (value 1) and the constant.
    expect(m.learn(...one(3), 1)).toBe(0);
    expect(m.lastLoss).toBe(Math.LN2);
    // z = -1/2, n = 1/4: w = 0.5 / ((1 + 0.5) / 0.1) = 1/30.
    expect(m.weight(3)).toBeCloseTo(1 / 30, 15);
    expect(m.weight(m.size)).toBeCloseTo(1 / 30, 15);
    expect(m.weight(4)).toBe(0);
    // The next prediction of feature 3: s = 2/30.
    expect(m.logit(...one(3))).toBeCloseTo(1 / 15, 15);
    // With L1 = 0.6 >= |z| = 0.5 the weights are exactly 0; with L1 = 0.2 and L2 = 1: 0.3 / (15 + 1).
    const sparse = new FtrlProximal({ alpha: 0.1, beta: 1, l1: 0.6, bits: 4 });
    sparse.learn(...one(3), 1);
    expect(sparse.weight(3)).toBe(0);
    const both = new FtrlProximal({ alpha: 0.1, beta: 1, l1: 0.2, l2: 1, bits: 4 });
    both.learn(...one(3), 1);
    expect(both.weight(3)).toBeCloseTo(0.3 / 16, 15);
  });

  it("matches the transcription over 2000 random sparse examples (logits to 1e-12 relative)", () => {
    const random = mulberry32(5);
    for (const [alpha, beta, l1, l2] of [
      [0.1, 1, 0, 0],
      [0.5, 0.5, 1, 2],
      [0.05, 1, 0.3, 0],
    ] as const) {
      const m = new FtrlProximal({ alpha, beta, l1, l2, bits: 6 });
      const t = new Transcription(alpha, beta, l1, l2);
      const idx = new Int32Array(8);
      const val = new Float64Array(8);
      for (let e = 0; e < 2000; e++) {
        const count = 1 + Math.floor(random() * 8);
        const x = new Map<string, number>();
        let k = 0;
        while (k < count) {
          const i = Math.floor(random() * 64);
          if (x.has(String(i))) continue;
          const v = random() < 0.5 ? 1 : Math.round((random() * 4 - 2) * 100) / 100 || 1;
          x.set(String(i), v);
          idx[k] = i;
          val[k++] = v;
        }
        const y = random() < 0.4 ? 1 : 0;
        const s = m.learn(idx, val, count, y);
        const ref = t.learn(x, y);
        expect(Math.abs(s - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref)));
        expect(m.lastLoss).toBeCloseTo(logisticLoss(y === 1 ? 1 : -1, s), 14);
      }
      for (let i = 0; i < 64; i++) expect(m.weight(i)).toBeCloseTo(t.w(String(i)), 12);
      expect(m.weight(m.size)).toBeCloseTo(t.w("bias"), 12);
      expect(m.examples).toBe(2000);
    }
  });

  it("an importance weight h scales the gradient: one example of weight 2 is not two examples of weight 1, but g = 2 (p - y)", () => {
    const a = new FtrlProximal({ bits: 4 });
    a.learn(...one(1), 1, 2);
    // g = 2 * (-1/2) = -1: z = -1, n = 1, w = 1 / ((1 + 1) / 0.1) = 0.05.
    expect(a.weight(1)).toBeCloseTo(0.05, 15);
    const zero = new FtrlProximal({ bits: 4 });
    zero.learn(...one(1), 1, 0);
    expect(zero.weight(1)).toBe(0);
    // base is added to the logit.
    expect(zero.learn(...one(1), 1, 1, 0.75)).toBe(0.75);
  });

  it("stays finite at extreme logits (p - y without cancellation)", () => {
    const m = new FtrlProximal({ alpha: 1e6, beta: 0, bits: 2 });
    for (let i = 0; i < 50; i++) m.learn(...one(1, 1000), i % 2);
    expect(Number.isFinite(m.logit(...one(1, 1000)))).toBe(true);
    expect(Number.isFinite(m.lastLoss)).toBe(true);
  });

  it("reaches the batch optimum of the same L2 objective after many passes (test loss within 0.5%)", () => {
    // d = 6 dense features, n = 3000; FTRL's L2 lambda2 is the batch model's 1 / C (FTRL also penalizes the
    // constant, the batch model does not: immaterial at this n).
    const random = mulberry32(11);
    const n = 3000;
    const d = 6;
    const trueW = [1.5, -2, 0.5, 0, 1, -0.7];
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 2 * n; i++) {
      const row = Array.from({ length: d }, () => random() * 2 - 1);
      const s = 0.3 + row.reduce((a, v, j) => a + v * trueW[j]!, 0);
      X.push(row);
      y.push(random() < 1 / (1 + Math.exp(-s)) ? 1 : 0);
    }
    const lr = new LogisticRegression({ C: 1 }).fit(X.slice(0, n), y.slice(0, n));
    const m = new FtrlProximal({ alpha: 0.5, beta: 1, l2: 1, bits: 3 });
    const idx = Int32Array.from({ length: d }, (_, j) => j);
    for (let pass = 0; pass < 30; pass++) for (let i = 0; i < n; i++) m.learn(idx, Float64Array.from(X[i]!), d, y[i]!);
    const test = (s: (row: number[]) => number) =>
      logisticLoss(
        Float64Array.from(y.slice(n), (v) => 2 * v - 1),
        Float64Array.from(X.slice(n), s),
      );
    const batch = test((row) => lr.decisionFunction([row])[0]!);
    const online = test((row) => m.logit(idx, Float64Array.from(row), d));
    expect(online / batch).toBeLessThan(1.005);
    expect(online / batch).toBeGreaterThan(0.995);
  });
});

describe("FtrlProximal: JSON", () => {
  const trained = () => {
    const m = new FtrlProximal({ alpha: 0.2, l1: 0.5, bits: 5 });
    const random = mulberry32(3);
    for (let e = 0; e < 300; e++) m.learn(Int32Array.of(e % 32, (7 * e) % 32), Float64Array.of(1, random()), 2, random() < 0.5 ? 1 : 0);
    return m;
  };

  it("without the state: the same predictions bit for bit, only nonzero weights saved, and no learning", () => {
    const m = trained();
    const json = JSON.parse(JSON.stringify(m));
    expect(json.index.length).toBe(json.weight.length);
    expect(json.weight.every((w: number) => w !== 0)).toBe(true);
    const back = FtrlProximal.fromJSON(json);
    expect(back.learnable).toBe(false);
    for (let i = 0; i <= m.size; i++) expect(back.weight(i)).toBe(m.weight(i));
    expect(back.examples).toBe(300);
    expect(() => back.learn(...one(1), 1)).toThrow(/restored without its z and n/);
  });

  it("with the state: learning goes on exactly as if never saved", () => {
    const a = trained();
    const b = FtrlProximal.fromJSON(JSON.stringify(a.toJSON(true)));
    for (let e = 0; e < 50; e++) {
      const x = [Int32Array.of(e % 32), Float64Array.of(0.5), 1] as const;
      expect(b.learn(...x, e % 3 === 0 ? 1 : 0)).toBe(a.learn(...x, e % 3 === 0 ? 1 : 0));
    }
  });

  it("rejects bad JSON fields", () => {
    const json = trained().toJSON();
    expect(() => FtrlProximal.fromJSON({ ...json, index: [3, 2], weight: [1, 1] })).toThrow(
      /index\[1\] = 2 is not an integer in \[0, 2\^bits\), increasing/,
    );
    expect(() => FtrlProximal.fromJSON({ ...json, index: [40], weight: [1] })).toThrow(/index\[0\] = 40/);
    expect(() => FtrlProximal.fromJSON({ ...json, index: [1], weight: [NaN] })).toThrow(/weight\[0\] = NaN is not a finite number/);
    expect(() => FtrlProximal.fromJSON({ ...json, z: [1] })).toThrow(/z and n must be arrays/);
    expect(() => FtrlProximal.fromJSON({ ...json, type: "xent.LogisticRegression" })).toThrow();
  });
});

describe("FtrlProximal: input checks", () => {
  it("rejects bad options", () => {
    expect(() => new FtrlProximal({ alpha: 0 })).toThrow(/options.alpha = 0 is not a finite number > 0/);
    expect(() => new FtrlProximal({ beta: -1 })).toThrow(/options.beta = -1/);
    expect(() => new FtrlProximal({ l1: NaN })).toThrow(/options.l1 = NaN/);
    expect(() => new FtrlProximal({ l2: Infinity })).toThrow(/options.l2 = Infinity/);
    expect(() => new FtrlProximal({ bits: 31 })).toThrow(/options.bits = 31 is not an integer in \[1, 30\]/);
    expect(() => new FtrlProximal({ bits: 2.5 })).toThrow(RangeError);
    expect(() => new FtrlProximal({ gamma: 1 } as never)).toThrow(/gamma/);
  });

  it("rejects a bad example, naming the feature, before changing anything", () => {
    const m = new FtrlProximal({ bits: 3 });
    expect(() => m.learn(...one(8), 1)).toThrow(/feature 0: index 8 is not in \[0, 8\)/);
    expect(() => m.learn(...one(-1), 1)).toThrow(/index -1/);
    expect(() => m.learn(Int32Array.of(1, 2), Float64Array.of(1, NaN), 2, 1)).toThrow(/feature 1: .*value NaN is not finite/);
    expect(() => m.learn(...one(1, Infinity), 1)).toThrow(/value Infinity/);
    expect(() => m.learn(...one(1), 2)).toThrow(/y = 2 is not 0 or 1/);
    expect(() => m.learn(...one(1), 1, -1)).toThrow(/importance = -1/);
    expect(() => m.learn(Int32Array.of(1), Float64Array.of(1), 2, 1)).toThrow(/count = 2/);
    expect(() => m.learn(...one(1), 1, 1, NaN)).toThrow(/base = NaN/);
    expect(m.examples).toBe(0);
    expect(m.weights().every((w) => w === 0)).toBe(true);
  });
});
