import { useEffect, useState } from "preact/hooks";

/**
 * Where the page is: `#/necon/leases?q=02:00&sort=ip` → { path: ["necon", "leases"], query }. Hash routes
 * keep every view a deep link the server needs no routes for, and the browser's back button just works.
 */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const [pathText, queryText = ""] = text.split("?", 2);
  return {
    path: pathText.split("/").filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(queryText),
  };
}

/** The hash for `path` (segments are encoded, so "10.0.0.0/24" stays one segment) with an optional query. */
export function routeHref(path: string[], query?: Record<string, string> | URLSearchParams): string {
  const search = new URLSearchParams(query);
  for (const [key, value] of [...search]) if (value === "") search.delete(key);
  const queryText = search.toString();
  return `#/${path.map(encodeURIComponent).join("/")}${queryText ? `?${queryText}` : ""}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** Changes the query of the current view; `replace` keeps typing in a filter out of the back history. */
export function setQuery(changes: Record<string, string>, options: { replace?: boolean } = {}): void {
  const route = parseRoute(location.hash);
  for (const [key, value] of Object.entries(changes)) route.query.set(key, value);
  const href = routeHref(route.path, route.query);
  if (options.replace) {
    history.replaceState(null, "", href);
    dispatchEvent(new HashChangeEvent("hashchange"));
  } else location.hash = href;
}
