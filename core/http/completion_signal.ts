/**
 * A served request's end as an AbortSignal, taken from Deno.serve's `info.completed` instead of
 * `request.signal`.
 *
 * Why: Deno 2.9 still aborts `request.signal` on every *successful* response (its legacy behaviour) and, the
 * first time a handler has read that signal, prints an unstructured warning to stderr — into the middle of
 * our logfmt/JSON log. The getter is all it takes: `request.signal`, but also `new Request(request, init)`,
 * which reads the input's signal even when `init.signal` replaces it. `info.completed` settles both when
 * the response has been delivered and when the client went away first (Deno then also cancels the body),
 * which is exactly when a server stream must let go of its subscription.
 */

/** Aborts once Deno is done with the request: its response delivered, or the client gone. */
export function completionSignal(info: Deno.ServeHandlerInfo): AbortSignal {
  const controller = new AbortController();
  const end = () => controller.abort(new DOMException("the request has ended", "AbortError"));
  info.completed.then(end, end);
  return controller.signal;
}

/**
 * The same request (method, URL, headers, unread body stream) with `signal` in place of its own, built
 * without reading the served request's signal (see above).
 */
export function withSignal(request: Request, signal: AbortSignal): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal,
  });
}
