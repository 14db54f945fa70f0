/**
 * A small line chart of recent values (no axes: the number beside it says the scale). SVG, so it stays
 * sharp at any zoom and needs no chart library.
 */
export function SparkChart({ values, label }: { values: number[]; label: string }) {
  const width = 160, height = 36, pad = 2;
  if (values.length < 2) {
    return <svg class="spark" width={width} height={height} role="img" aria-label={label} />;
  }
  const max = Math.max(1, ...values), step = (width - 2 * pad) / (values.length - 1);
  const points = values.map((v, i) =>
    `${(pad + i * step).toFixed(1)},${(height - pad - (v / max) * (height - 2 * pad)).toFixed(1)}`
  );
  return (
    <svg
      class="spark"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <polyline points={points.join(" ")} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
