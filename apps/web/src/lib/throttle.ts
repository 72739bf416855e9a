/**
 * Runs `fn` at most once per `ms`: at once when idle, else once more at the end of the window, so
 * the last call is never lost. A burst of live changes costs one refetch, not one per change.
 */
export function throttle(fn: () => void, ms: number, options: { justRan?: boolean } = {}): { run(): void; cancel(): void } {
  // justRan: the data is fresh already (the server rendered it), so the first call waits a window.
  let last = options.justRan ? Date.now() : 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    run() {
      if (timer) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) {
        last = Date.now();
        fn();
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
