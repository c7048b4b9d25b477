/**
 * Decimal numbers straight from the bytes of a buffer, without making a string per field (the hot path of
 * `xent eval`).
 *
 * ## Method
 * Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", 1990): when the
 * decimal significand m is an integer <= 2^53 (exact as a double) and the decimal exponent e satisfies
 * |e| <= 22 (10^e exact), `m * 10^e` or `m / 10^-e` is a single correctly rounded operation, so
 * the result is exactly what `Number(text)` returns. Anything else (more digits, big exponents, "inf",
 * "nan") goes to `Number` on the text, after a strict syntax check: `Number` alone would accept "", "0x1f"
 * and " " as numbers.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Parses `buf[start, end)` (surrounding spaces and tabs ignored) as a decimal number: digits with an optional
 * sign, point and exponent, or inf / infinity / nan in any case. Returns `undefined` for anything else
 * (including an empty field). NaN is returned only for the text "nan".
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number | undefined {
  return parseNumberInto(buf, start, end) ? parsed[0] : undefined;
}

/**
 * Where `parseNumberInto` puts its result. The hot loop of `xent eval` reads it from here: a double returned
 * from a function that is not inlined is boxed (one allocation per number), a typed-array slot is not.
 */
export const parsed = new Float64Array(1);

/** `parseNumberBytes` without boxing: true and the value in `parsed[0]`, or false for text that is not a number. */
export function parseNumberInto(buf: Uint8Array, start: number, end: number): boolean {
  // The common shapes first, "1" and "0.1234567": digits, optionally a point and more digits, nothing else.
  // Up to 10 bytes with a point (at most 9 digits) or 9 without, the significand is below 10^9 < 2^31: it is
  // summed in int32 arithmetic (no overflow checks, no doubles), the same integer as the double loop below.
  if (end - start <= 10) {
    let i = start;
    let m = 0;
    let c = 0;
    for (; i < end; i++) {
      c = buf[i]! - 48;
      if (c >>> 0 > 9) break;
      m = (m * 10 + c) | 0;
    }
    if (i > start) {
      if (i === end) {
        if (end - start < 10) {
          parsed[0] = m;
          return true;
        }
      } else if (buf[i] === 46) {
        const dot = ++i;
        for (; i < end; i++) {
          c = buf[i]! - 48;
          if (c >>> 0 > 9) break;
          m = (m * 10 + c) | 0;
        }
        if (i === end) {
          parsed[0] = m / POW10[i - dot]!;
          return true;
        }
      }
    }
  }
  let i = start;
  let m = 0;
  let c = 0;
  for (; i < end; i++) {
    c = buf[i]! - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
  }
  if (i > start && m <= 9007199254740992) {
    if (i === end) {
      parsed[0] = m;
      return true;
    }
    if (buf[i] === 46) {
      const dot = ++i;
      for (; i < end; i++) {
        c = buf[i]! - 48;
        if (c < 0 || c > 9) break;
        m = m * 10 + c;
      }
      if (i === end && i - dot <= 22 && m <= 9007199254740992) {
        parsed[0] = m / POW10[i - dot]!;
        return true;
      }
    }
  }
  const v = parseGeneral(buf, start, end);
  if (v === undefined) return false;
  parsed[0] = v;
  return true;
}

/** Every other shape: signs, exponents, surrounding spaces, a leading point, inf and nan. */
function parseGeneral(buf: Uint8Array, start: number, end: number): number | undefined {
  if (start < end && (buf[start] === 32 || buf[start] === 9 || buf[end - 1] === 32 || buf[end - 1] === 9)) {
    while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
    while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  }
  let i = start;
  let negative = false;
  let c = buf[i]!;
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  // The significand's digits, as an integer m; it is exact as long as it stays <= 2^53 (checked at the end:
  // m only grows, so a final m <= 2^53 means no step rounded).
  let m = 0;
  const first = i;
  for (; i < end; i++) {
    c = buf[i]! - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
  }
  let digits = i - first;
  let scale = 0; // decimal exponent from the fraction and the exponent part
  if (i < end && buf[i] === 46) {
    const dot = ++i;
    for (; i < end; i++) {
      c = buf[i]! - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
    }
    scale = dot - i;
    digits += i - dot;
  }
  if (digits === 0) return parseNumberText(latin1(buf, start, end));
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let expNegative = false;
    if (buf[i] === 45) {
      expNegative = true;
      i++;
    } else if (buf[i] === 43) i++;
    let exp = 0;
    const expFirst = i;
    for (; i < end; i++) {
      c = buf[i]! - 48;
      if (c < 0 || c > 9) break;
      if (exp < 100000) exp = exp * 10 + c;
    }
    if (i === expFirst) return undefined;
    scale += expNegative ? -exp : exp;
  }
  if (i !== end) return undefined;
  if (m <= 9007199254740992 && scale >= -22 && scale <= 22) {
    const v = scale >= 0 ? m * POW10[scale]! : m / POW10[-scale]!;
    return negative ? -v : v;
  }
  return parseNumberText(latin1(buf, start, end));
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}

/** The slow path, also used for numbers given as strings (JSON Lines, command-line options). */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  const special = SPECIAL.exec(t);
  if (special === null) return undefined;
  if (special[2]!.toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}
