/**
 * Notices the page's URL changing without a reload. The exchanges' sites are single-page apps
 * (FACTS.md): they move between pages with history.pushState/replaceState, which fire no event,
 * and a content script cannot see the page's own history calls (it runs in an isolated world, and
 * patching the page's methods would mean injecting code into the page). So: the Navigation API's
 * events where Chrome has them (they do reach isolated worlds), popstate/hashchange, and a cheap
 * poll of location.href (one string comparison) as the backstop.
 */
const POLL_MS = 300;

interface NavigationLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export function watchUrl(win: Window, onChange: (url: string) => void): () => void {
  let last = win.location.href;
  const check = (): void => {
    const now = win.location.href;
    if (now === last) return;
    last = now;
    onChange(now);
  };
  // 'navigate' fires before the URL commits: look again just after it.
  const soon = (): void => void setTimeout(check, 0);
  const nav = (win as unknown as { navigation?: NavigationLike }).navigation;
  nav?.addEventListener('navigate', soon);
  nav?.addEventListener('navigatesuccess', check);
  nav?.addEventListener('currententrychange', check);
  win.addEventListener('popstate', check);
  win.addEventListener('hashchange', check);
  const timer = setInterval(check, POLL_MS);
  return () => {
    clearInterval(timer);
    nav?.removeEventListener('navigate', soon);
    nav?.removeEventListener('navigatesuccess', check);
    nav?.removeEventListener('currententrychange', check);
    win.removeEventListener('popstate', check);
    win.removeEventListener('hashchange', check);
  };
}
