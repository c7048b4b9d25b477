// A small seeded prediction file for the report and plot tests: a label, a probability (two decimals, so
// with ties), its logit, a weight and a group column, with column and group names that need escaping in HTML.

/** The CSV text: columns `y`, `p`, `s` (the logit of p), `w`, `region <&>` (groups "north", "south", `"<b>east & west</b>"`). */
export function predictionCsv(rows = 500, seed = 20261207): string {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const groups = ["north", "south", "<b>east & west</b>"];
  const lines = ['y,p,s,w,"region <&>"'];
  for (let i = 0; i < rows; i++) {
    const p = Math.round((0.02 + 0.96 * random()) * 100) / 100;
    const g = i % 3;
    // Calibrated in the north, overconfident in the south and east.
    const truth = g === 0 ? p : 0.5 + (p - 0.5) * 0.6;
    const y = random() < truth ? 1 : 0;
    lines.push(`${y},${p},${Math.log(p / (1 - p))},${1 + (i % 4)},"${groups[g]!}"`);
  }
  return lines.join("\n") + "\n";
}
