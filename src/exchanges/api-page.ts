/**
 * Which URLs are an exchange's API-key page: the one helper the exchanges' sites (<id>/site.ts)
 * need, in a module of its own so that the pages loading the sites load nothing else of profile.ts.
 */

/** One path segment that is a locale: en, zh-CN, en-GB, pt-BR, zh-hans, es-419. */
const LOCALE_SEGMENT = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8}){0,2}$/i;

/** `/x` or `/x/...`, not `/xy`: the page itself or one of its sub-pages. */
function pathIs(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(`${path}/`);
}

/**
 * The two manifest patterns of a page (`https://HOST/PATH*`, `https://HOST/<any>/PATH*`) and a
 * predicate that accepts the page with no prefix or with exactly one locale segment. It is stricter
 * than Chrome's `*` (which also matches `/a/b/PATH`): the panel should appear on the real page only.
 */
export function apiPageMatcher(
  host: string,
  path: string,
): {
  apiPages: string[];
  sitePages: string[];
  apiPageUrl: string;
  isApiPage: (url: string) => boolean;
} {
  const isApiPage = (url: string): boolean => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'https:' || parsed.hostname !== host) return false;
    const pathname = parsed.pathname;
    if (pathIs(pathname, path)) return true;
    const prefixed = /^\/([^/]+)(\/.*)$/.exec(pathname);
    return (
      prefixed !== null && LOCALE_SEGMENT.test(prefixed[1] ?? '') && pathIs(prefixed[2] ?? '', path)
    );
  };
  return {
    apiPages: [`https://${host}${path}*`, `https://${host}/*${path}*`],
    sitePages: [`https://${host}/*`],
    apiPageUrl: `https://${host}${path}`,
    isApiPage,
  };
}
