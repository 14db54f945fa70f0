/** "median [min–max]" of `values`, each with `digits` decimals; "—" when there are none. */
export function medianRange(values: number[], digits = 1): string {
  if (values.length === 0) return "—";
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return `${middle.toFixed(digits)} [${sorted[0].toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)}]`;
}
