/**
 * Which supported browsers are installed, and which of them are sandboxed (Flatpak/Snap) and so
 * cannot start the host. Pure: looks only through ctx.exists and ctx.which.
 */
import {
  BROWSER_IDS,
  BROWSERS,
  profileMarkersFor,
  type BrowserId,
  type LocationContext,
} from './browsers.js';
import { pathFor } from './context.js';

export type SandboxKind = 'Flatpak' | 'Snap';

export interface SandboxedInstall {
  kind: SandboxKind;
  /** The folder that gave it away (~/.var/app/<id>, ~/snap/<name>, /snap/bin/<name>). */
  evidence: string;
}

export interface Detection {
  id: BrowserId;
  /** Installed in a way that can start programs on this machine (deb/rpm/vendor/.app/.exe). */
  native: boolean;
  /** What showed the native install: folders or programs found. */
  evidence: string[];
  sandboxed: SandboxedInstall[];
}

export interface DetectContext extends LocationContext {
  exists(p: string): boolean;
  which(name: string): string | null;
}

/**
 * The plain explanation for a sandboxed browser, e.g. "Chromium installed as a Snap cannot
 * start programs outside its sandbox, …".
 */
export function sandboxMessage(id: BrowserId, kind: SandboxKind): string {
  const name = BROWSERS[id].name;
  return (
    `${name} installed as a ${kind} cannot start programs outside its sandbox, so it cannot ` +
    `reach the Sentinel host. Install ${name} from your distribution's .deb/.rpm or from the ` +
    'vendor, or use another browser.'
  );
}

function detectOne(id: BrowserId, ctx: DetectContext): Detection {
  const b = BROWSERS[id];
  const p = pathFor(ctx.platform);
  const evidence: string[] = [];
  const sandboxed: SandboxedInstall[] = [];

  for (const profile of profileMarkersFor(id, ctx)) if (ctx.exists(profile)) evidence.push(profile);

  if (ctx.platform === 'darwin') {
    for (const root of ['/Applications', p.join(ctx.homeDir, 'Applications')]) {
      const app = p.join(root, b.darwin.app);
      if (ctx.exists(app)) evidence.push(app);
    }
  } else if (ctx.platform !== 'win32') {
    for (const bin of b.linux.binaries) {
      const found = ctx.which(bin);
      if (!found) continue;
      // /snap/bin/<name> is the Snap itself, not a native install.
      if (found.startsWith('/snap/')) sandboxed.push({ kind: 'Snap', evidence: found });
      else evidence.push(found);
    }
    const flatpak = p.join(ctx.homeDir, '.var', 'app', b.linux.flatpak);
    if (ctx.exists(flatpak)) sandboxed.push({ kind: 'Flatpak', evidence: flatpak });
    if (b.linux.snap) {
      const snap = p.join(ctx.homeDir, 'snap', b.linux.snap);
      if (ctx.exists(snap) && !sandboxed.some((s) => s.kind === 'Snap')) {
        sandboxed.push({ kind: 'Snap', evidence: snap });
      }
    }
  }
  return { id, native: evidence.length > 0, evidence, sandboxed };
}

/** One entry per supported browser, in BROWSER_IDS order. */
export function detectBrowsers(ctx: DetectContext): Detection[] {
  return BROWSER_IDS.map((id) => detectOne(id, ctx));
}

/** The sandbox explanations for the given detections, one line per sandboxed install. */
export function sandboxWarnings(detections: readonly Detection[]): string[] {
  return detections.flatMap((d) => d.sandboxed.map((s) => sandboxMessage(d.id, s.kind)));
}
