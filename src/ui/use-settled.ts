/**
 * A value that follows `value` once it has stopped changing for `ms`: one signal brings several
 * notifications (signal.received, order.updated per state), and the dashboard's lists of up to
 * 1,000 rows are fetched once per burst instead of once per notification.
 */
import { useEffect, useState } from 'preact/hooks';

export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
