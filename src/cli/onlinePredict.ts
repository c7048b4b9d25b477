import { createWriteStream, rmSync } from "node:fs";
import { sigmoid } from "../index.js";
import { type SparseExample } from "../io/sparseExample.js";
import { readSparseExamples } from "../io/sparseExampleReader.js";
import { type OptionValues } from "./args.js";
import { type CliIO, type OutStream, writeOut } from "./cliIO.js";
import { loadOnlineModel, sparseFormatOption } from "./onlineTrain.js";
import { UsageError } from "./usageError.js";

/** A CSV field: quoted when it holds a comma, a quote or a line end. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * `xent predict MODEL FILE...` for a model of `xent train --online`: reads Vowpal Wabbit or libsvm files
 * (the model's format unless --format) and writes CSV, one row per example: its label (1, 0, or empty when
 * the line has none), importance weight, logit, P(y = 1) and tag, which `xent eval --label label --logit
 * logit --weight weight` scores.
 */
export async function runOnlinePredict(o: OptionValues, modelPath: string, json: unknown, files: string[], io: CliIO): Promise<number> {
  for (const name of ["prefix", "calibration", "replace", "delimiter", "no-header"]) {
    if (o[name] !== undefined)
      throw new UsageError("predict", `--${name} does not apply to an online model (its output is label,weight,logit,p,tag)`);
  }
  const { file, model } = loadOnlineModel(modelPath, json);
  const format = o.format === undefined ? file.input : sparseFormatOption("predict", o.format, files);
  let out: OutStream = io.stdout;
  let stream: ReturnType<typeof createWriteStream> | null = null;
  if (typeof o.out === "string") {
    stream = createWriteStream(o.out);
    out = stream;
  }
  let text = "label,weight,logit,p,tag\n";
  let pending: Promise<void> = Promise.resolve();
  const flush = () => {
    const t = text;
    text = "";
    pending = pending.then(() => writeOut(out, t));
  };
  const onExample = (e: SparseExample) => {
    const s = model.logit(e.indices, e.values, e.count, e.base);
    const label = e.label !== e.label ? "" : String(e.label);
    text += `${label},${e.importance},${s},${sigmoid(s)},${e.tag === "" ? "" : csvField(e.tag)}\n`;
    if (text.length > 1 << 16) flush();
  };
  let ok = false;
  try {
    for (const f of files) await readSparseExamples(format, f, model.options.bits, onExample, io.stdin);
    ok = true;
  } finally {
    // Rows before a bad line are written (stdout); a partial --out file is removed.
    if (ok || stream === null) flush();
    await pending;
    if (stream !== null) {
      await new Promise<void>((resolve) => stream!.end(resolve));
      if (!ok) rmSync(o.out as string, { force: true });
    }
  }
  return 0;
}
