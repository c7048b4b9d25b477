/**
 * @internal The i64x2 constant of the WebAssembly exp (assembly/expKernel.ts `expNegX2`): the bits of 1.5 2^52
 * minus 1023 * 128. With t = 1.5 2^52 - 128 z / ln 2 (z = -x), `((bits(t) - EXP_BIAS) >>> 7) << 52` is the double 2^k,
 * k = floor(n / 128), n = round(128 x / ln 2): the exponent field k + 1023 straight from the bits of t.
 * Each module writes it into its memory next to its other SIMD constants (binaryWasm.ts, softmaxWasm.ts).
 */
export const EXP_BIAS = 0x4338000000000000n - 1023n * 128n;
