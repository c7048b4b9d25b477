import { hashFeatureBytes } from "../model/featureHash.js";
import { type ByteSource } from "./byteSource.js";
import { InputError, quoteText } from "./inputError.js";
import { parsed, parseNumberInto } from "./parseNumber.js";
import { SparseExample, type SparseExampleHandler, forEachLine } from "./sparseExample.js";

const BAR = 124; // '|'
const SPACE = 32;
const TAB = 9;
const COLON = 58;
const QUOTE = 39; // '

/**
 * Reads Vowpal Wabbit's text format, one example per line, streaming (memory bounded by a chunk):
 *
 *     label [importance [base]] [tag]|namespace[:weight] feature[:value] ... |namespace2 ...
 *
 * - label: 1 or -1 (0 is read as -1, the negative class), or nothing (an example without a label);
 * - importance: a finite weight >= 0 (default 1) multiplying the example's gradient and loss;
 * - base: VW's initial prediction, added to the logit;
 * - tag: the last word before '|' when no space separates it from '|', or a word starting with "'" (VW's rule:
 *   in "1| a" the "1" is a tag, not a label);
 * - `|name` opens a namespace (a bare `|` the default one), `|name:2` scales its features' values by 2;
 * - a feature is `name` (value 1) or `name:value`; a value of 0 leaves the feature out.
 * A feature's index is `hashFeature(name, hashFeature(namespace, 0))` masked to `bits` bits, VW's hash of
 * the pair (see `featureHash.ts`). Blank lines are skipped. Any malformed line is an InputError at
 * file:line:column naming what is wrong. Returns the number of examples.
 */
export async function readVowpalWabbit(source: ByteSource, bits: number, onExample: SparseExampleHandler): Promise<number> {
  const parser = new VowpalWabbitLineParser(source.name, bits);
  let examples = 0;
  await forEachLine(source, (buf, start, end, line) => {
    if (parser.parse(buf, start, end, line)) {
      examples++;
      onExample(parser.example);
    }
  });
  return examples;
}

/** The parser of one line, with its example reused from line to line. */
export class VowpalWabbitLineParser {
  readonly example = new SparseExample();
  private readonly mask: number;
  private lineStart = 0;

  constructor(
    readonly file: string,
    bits: number,
  ) {
    if (!(Number.isInteger(bits) && bits >= 1 && bits <= 30))
      throw new RangeError(`VowpalWabbitLineParser: bits = ${String(bits)} is not an integer in [1, 30]`);
    this.mask = 2 ** bits - 1;
    this.example.file = file;
  }

  private error(at: number, reason: string, detail: string, line: number): InputError {
    return new InputError(this.file, line, at - this.lineStart + 1, reason, detail);
  }

  /** Parses `buf[start, end)` into `example`; false for a blank line (no example). */
  parse(buf: Uint8Array, start: number, end: number, line: number): boolean {
    const e = this.example;
    e.reset(line);
    this.lineStart = start;
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end) return false;
    let bar = i;
    while (bar < end && buf[bar] !== BAR) bar++;
    this.header(buf, start, bar, line);
    i = bar;
    const mask = this.mask;
    while (i < end) {
      // At a '|': the namespace's name (up to a space) and its optional ":weight".
      i++;
      const nameStart = i;
      while (i < end && buf[i] !== SPACE && buf[i] !== TAB && buf[i] !== BAR) i++;
      let nameEnd = i;
      let scale = 1;
      let seed = 0;
      if (nameEnd > nameStart) {
        let colon = nameStart;
        while (colon < nameEnd && buf[colon] !== COLON) colon++;
        if (colon < nameEnd) {
          if (!parseNumberInto(buf, colon + 1, nameEnd) || !Number.isFinite(parsed[0]!)) {
            throw this.error(colon + 1, "bad value", `namespace weight ${quoteText(latin1(buf, colon + 1, nameEnd))} is not a finite number`, line);
          }
          scale = parsed[0]!;
          nameEnd = colon;
        }
        seed = hashFeatureBytes(buf, nameStart, nameEnd, 0);
      }
      // The features, up to the next '|'.
      while (i < end && buf[i] !== BAR) {
        const c = buf[i]!;
        if (c === SPACE || c === TAB) {
          i++;
          continue;
        }
        const fStart = i;
        let colon = -1;
        while (i < end) {
          const b = buf[i]!;
          if (b === SPACE || b === TAB || b === BAR) break;
          if (b === COLON && colon < 0) colon = i;
          i++;
        }
        let value = scale;
        let fEnd = i;
        if (colon >= 0) {
          if (!parseNumberInto(buf, colon + 1, i) || !Number.isFinite(parsed[0]!)) {
            throw this.error(
              colon + 1,
              "bad value",
              `feature ${quoteText(latin1(buf, fStart, colon))}: value ${quoteText(latin1(buf, colon + 1, i))} is not a finite number`,
              line,
            );
          }
          value = parsed[0]! * scale;
          fEnd = colon;
        }
        if (value !== 0) e.push(hashFeatureBytes(buf, fStart, fEnd, seed) & mask, value);
      }
    }
    return true;
  }

  /** The words before the first '|': label, importance, base and the tag (VW's rule for which word is the tag). */
  private header(buf: Uint8Array, start: number, bar: number, line: number): void {
    const e = this.example;
    let word = 0;
    let i = start;
    while (i < bar) {
      while (i < bar && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i === bar) break;
      const wStart = i;
      while (i < bar && buf[i] !== SPACE && buf[i] !== TAB) i++;
      if (buf[wStart] === QUOTE || i === bar) {
        // The tag: a word starting with a quote, or the last word when '|' follows it directly.
        let rest = i;
        while (rest < bar && (buf[rest] === SPACE || buf[rest] === TAB)) rest++;
        if (rest < bar)
          throw this.error(
            rest,
            "bad header",
            `text after the tag ${quoteText(latin1(buf, wStart, i))}: the tag must be the last word before '|'`,
            line,
          );
        e.tag = Buffer.from(
          buf.buffer,
          buf.byteOffset + wStart + (buf[wStart] === QUOTE ? 1 : 0),
          i - wStart - (buf[wStart] === QUOTE ? 1 : 0),
        ).toString("utf8");
        break;
      }
      const ok = parseNumberInto(buf, wStart, i) && Number.isFinite(parsed[0]!);
      const v = parsed[0]!;
      const text = () => quoteText(latin1(buf, wStart, i));
      if (word === 0) {
        if (!ok || !(v === 1 || v === -1 || v === 0))
          throw this.error(wStart, "bad label", `label ${text()} is not 1, -1 or 0 (0 is read as -1)`, line);
        e.label = v > 0 ? 1 : 0;
      } else if (word === 1) {
        if (!ok || !(v >= 0)) throw this.error(wStart, "bad weight", `importance weight ${text()} is not a finite number >= 0`, line);
        e.importance = v;
      } else if (word === 2) {
        if (!ok) throw this.error(wStart, "bad base", `initial prediction ${text()} is not a finite number`, line);
        e.base = v;
      } else {
        throw this.error(wStart, "bad header", `${text()}: more than label, importance, initial prediction and tag before '|'`, line);
      }
      word++;
    }
  }
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}
