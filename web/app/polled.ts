import { useEffect, useState } from "preact/hooks";

/** The latest value of `load`, called now and every `everyMs` while the component is mounted. */
export function usePolled<T>(
  load: () => Promise<T>,
  everyMs: number,
  dependencies: unknown[] = [],
): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let stopped = false;
    const tick = () => load().then((v) => !stopped && setValue(v)).catch(() => {});
    tick();
    const timer = setInterval(tick, everyMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, dependencies);
  return value;
}
