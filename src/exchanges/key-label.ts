/** The key labels the guide suggests (a module of its own: the guide panel loads no profile). */

/** The UTC date as YYYYMMDD (so the result does not depend on the time zone). */
function compactDay(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

/** "Sentinel 20251126": letters, digits and one space, 17 characters. */
export function spacedLabel(date: Date): string {
  return `Sentinel ${compactDay(date)}`;
}

/** "Sentinel20251126": letters and digits only, 16 characters. */
export function compactLabel(date: Date): string {
  return `Sentinel${compactDay(date)}`;
}
