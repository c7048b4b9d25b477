/**
 * @internal The memory layout of the sparse kernels (csrProducts.ts, csrClassProducts.ts): the first 64 KB
 * reserved for the module's own data, then the CSR matrix (indptr, indices, data: 12 bytes per stored value) and
 * the caller's scratch vectors, each 16-byte aligned. Grows `memory` to hold them and copies the matrix in.
 * Returns the byte offsets and Float64Array views of the scratch vectors, or null when the layout passes wasm32's
 * 4 GB (the caller then runs its JavaScript twin).
 */
export function placeCsrInMemory<K extends string>(
  memory: WebAssembly.Memory,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
  scratch: Record<K, number>,
): { at: { indptr: number; indices: number; data: number } & Record<K, number>; views: Record<K, Float64Array> } | null {
  const nnz = data.length;
  let top = 65536;
  const take = (bytes: number): number => {
    const p = top;
    top += Math.ceil(bytes / 16) * 16;
    return p;
  };
  const matrix = { indptr: take(4 * indptr.length), indices: take(4 * nnz), data: take(8 * nnz) };
  const names = Object.keys(scratch) as K[];
  const offsets = {} as Record<K, number>;
  for (const name of names) offsets[name] = take(8 * scratch[name]);
  // wasm32 memory ends at 4 GB; grow throws past what the engine allows (the caller's catch).
  if (top > 2 ** 32 - 65536) return null;
  const pages = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  const buffer = memory.buffer;
  new Int32Array(buffer, matrix.indptr, indptr.length).set(indptr);
  new Int32Array(buffer, matrix.indices, nnz).set(indices);
  new Float64Array(buffer, matrix.data, nnz).set(data);
  const views = {} as Record<K, Float64Array>;
  for (const name of names) views[name] = new Float64Array(buffer, offsets[name], scratch[name]);
  return { at: { ...matrix, ...offsets }, views };
}
