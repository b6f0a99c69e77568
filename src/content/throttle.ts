/**
 * Run at most once per `ms`, and always after the latest call: a page that mutates constantly
 * (prices ticking) costs one scan per interval, and the scan that runs reads the newest state.
 */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const call = (): void => {
    if (timer !== null) return; // a run is already scheduled, and it will see this change
    timer = setTimeout(
      () => {
        timer = null;
        last = Date.now();
        fn();
      },
      Math.max(0, last + ms - Date.now()),
    );
  };
  call.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}
