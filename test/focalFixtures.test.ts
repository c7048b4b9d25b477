import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { categoricalFocalLoss, focalLoss } from "xent";
import { ulp } from "./ulp.js";

type DD = [number, number];
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/focal.json", import.meta.url), "utf8")) as {
  focal: { y: number; s: number; gamma: number; alpha: number | null; loss: DD }[];
  categoricalFocal: { k: number; logits: number[]; label: number | number[]; gamma: number; alpha: number[]; loss: DD }[];
};

/** Strict ulp error; Infinity for NaN or a wrong infinity. */
function err(got: number, [hi, lo]: DD): number {
  if (Number.isNaN(got)) return Infinity;
  if (!Number.isFinite(hi) || !Number.isFinite(got)) return got === hi ? 0 : Infinity;
  return Math.abs(got - hi - lo) / ulp(hi);
}

const measured: Record<string, number> = {};
function track(name: string, e: number): number {
  measured[name] = Math.max(measured[name] ?? 0, e);
  return e;
}

// Bounds in ulps: the measured maxima (printed by the last test; recorded in docs/multiclass.md's Accuracy
// section) rounded up. Neither grows with gamma: the base of the power is carried in double-double.
const BINARY = 4.5;
const CATEGORICAL = 3;

describe("focal losses against mpmath, gamma 0 to 8 (focal.json)", () => {
  it(`binary focalLoss within ${BINARY} ulps: hard and soft labels, |s| up to 1e308, alpha on and off`, () => {
    for (const f of fixtures.focal) {
      const got = focalLoss(f.y, f.s, { gamma: f.gamma, alpha: f.alpha });
      const e = track(`focal/gamma=${f.gamma}`, err(got, f.loss));
      if (!(e <= BINARY)) expect.fail(`y=${f.y} s=${f.s} gamma=${f.gamma} alpha=${f.alpha}: ${got} vs ${f.loss[0]}: ${e} ulps`);
    }
  });

  it("the batch path gives the scalar results bit for bit", () => {
    const groups = new Map<string, typeof fixtures.focal>();
    for (const f of fixtures.focal) {
      const key = `${f.gamma}/${f.alpha}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const fs of groups.values()) {
      const { gamma, alpha } = fs[0]!;
      const batch = focalLoss(
        fs.map((f) => f.y),
        new Float64Array(fs.map((f) => f.s)),
        { gamma, alpha, reduction: "none" },
      );
      fs.forEach((f, i) => expect(batch[i]).toBe(focalLoss(f.y, f.s, { gamma, alpha })));
    }
  });

  it(`categoricalFocalLoss within ${CATEGORICAL} ulps: class ids, soft rows, dominant classes, logits to 1e300`, () => {
    for (const f of fixtures.categoricalFocal) {
      const labels = typeof f.label === "number" ? [f.label] : f.label;
      const got = categoricalFocalLoss(labels, f.logits, { classes: f.k, gamma: f.gamma, alpha: f.alpha, reduction: "sum" });
      const e = track(`categoricalFocal/gamma=${f.gamma}`, err(got, f.loss));
      if (!(e <= CATEGORICAL)) expect.fail(`k=${f.k} gamma=${f.gamma} logits=${f.logits.slice(0, 3)}: ${got} vs ${f.loss[0]}: ${e} ulps`);
    }
  });

  it("reports the measured maxima", () => {
    console.info(`max ulp errors: ${JSON.stringify(measured, (_k, v: number) => (typeof v === "number" ? Number(v.toFixed(3)) : v))}`);
  });
});

describe("the focal kernels' copied constants", () => {
  it("are the generator's (doubleDouble.ts keeps them as literals for speed)", async () => {
    const { INV_LN2_128, LN2_128_HI, LN2_128_LO } = await import("../src/core/numerics/kernelTables.js");
    for (const file of ["numerics/doubleDouble.ts"]) {
      const source = readFileSync(new URL(`../src/core/${file}`, import.meta.url), "utf8");
      for (const [name, value] of Object.entries({ INV_LN2_128, LN2_128_HI, LN2_128_LO })) {
        expect(source).toContain(`const ${name} = ${String(value)};`);
      }
    }
  });
});
