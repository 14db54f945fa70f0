/** One spelling of a machine's architecture across providers ("x86_64", "arm64"), "" when not told. */
export function normalizeArchitecture(value: string | undefined): string {
  const lower = (value ?? "").toLowerCase();
  if (lower === "x86_64" || lower === "amd64" || lower === "x86_64_mac") return "x86_64";
  if (lower === "arm64" || lower === "aarch64" || lower === "arm64_mac") return "arm64";
  if (lower === "i386") return "i386";
  return lower;
}
