/**
 * The request path exactly as the client sent it (percent-decoded, query dropped). `new URL().pathname`
 * resolves "." and ".." segments, which would silently turn "/boot/../private/x" into another tree's
 * path; file servers must see the ".." and refuse it instead.
 */
export function rawRequestPath(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return decodeURIComponent(url.slice(start, end < 0 ? undefined : end));
}
