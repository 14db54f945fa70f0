/**
 * The request path exactly as the client sent it (percent-decoded, query dropped). `new URL().pathname`
 * resolves "." and ".." segments, which would silently turn "/boot/../private/x" into another tree's
 * path; file servers must see the ".." and refuse it instead.
 */
export function rawRequestPath(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  return targetPath(url.slice(start));
}

/** The path of an origin-form request target ("/a%20b?x=1" → "/a b"); throws URIError on bad escapes. */
export function targetPath(target: string): string {
  const end = target.search(/[?#]/);
  return decodeURIComponent(target.slice(0, end < 0 ? undefined : end));
}
