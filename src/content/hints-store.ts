/** The latest scan result, shared by the watcher (writer) and the panel (reader). */
import type { FoundToggle } from './hint-dom.js';

export class HintsStore {
  private value: readonly FoundToggle[] = [];
  private readonly listeners = new Set<(v: readonly FoundToggle[]) => void>();

  get current(): readonly FoundToggle[] {
    return this.value;
  }

  set(found: readonly FoundToggle[]): void {
    // Re-render only when what the panel shows changes (which toggles, on or off).
    const key = (list: readonly FoundToggle[]) =>
      list.map((f) => `${f.entry.uiName}:${f.on}`).join('|');
    const changed = key(found) !== key(this.value);
    this.value = found;
    if (changed) for (const l of this.listeners) l(found);
  }

  /** Calls the listener with the current value at once: a scan may have run before it subscribed. */
  subscribe(listener: (v: readonly FoundToggle[]) => void): () => void {
    this.listeners.add(listener);
    listener(this.value);
    return () => this.listeners.delete(listener);
  }
}
