/**
 * The guide panel on an exchange's API-key page: collapsible, with the page hints, the guide and
 * the credential form. Its state (collapsed, ticks) is UI state only; secrets never pass through.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ExchangeGuide } from '../exchanges/index.js';
import { GuideSteps } from './GuideSteps.js';
import { HostLine } from './HostLine.js';
import { KeyChoice } from './KeyChoice.js';
import type { FoundToggle } from './hint-dom.js';
import type { HintsStore } from './hints-store.js';
import { PageHints } from './PageHints.js';
import { PermissionAdvice } from './PermissionAdvice.js';
import { SetupFrame } from './SetupFrame.js';
import { saveCollapsed, saveTicks } from './storage.js';

export interface PanelProps {
  profile: ExchangeGuide;
  hints: HintsStore;
  initialCollapsed: boolean;
  initialTicks: string[];
  /** Opened from the popup's "Rotate key": the form rotates this connection's key. */
  rotate: string | null;
}

type Tab = 'guide' | 'connect';

export function Panel({ profile, hints, initialCollapsed, initialTicks, rotate }: PanelProps) {
  const [collapsed, setCollapsed] = useState(rotate ? false : initialCollapsed);
  const [ticks, setTicks] = useState(initialTicks);
  const [tab, setTab] = useState<Tab>(rotate ? 'connect' : 'guide');
  // The iframe is created the first time "Connect key" is shown, then kept (its form state too).
  const [frameOpened, setFrameOpened] = useState(tab === 'connect');
  const [found, setFound] = useState<readonly FoundToggle[]>(hints.current);
  const [label] = useState(() => profile.suggestedLabel(new Date()));
  useEffect(() => hints.subscribe(setFound), [hints]);

  const on = found.filter((f) => f.on).length;
  const toggle = (next: boolean): void => {
    setCollapsed(next);
    saveCollapsed(next);
  };
  const tick = (id: string, done: boolean): void => {
    const next = done ? [...new Set([...ticks, id])] : ticks.filter((t) => t !== id);
    setTicks(next);
    saveTicks(profile.id, next);
  };
  const show = (t: Tab): void => {
    setTab(t);
    if (t === 'connect') setFrameOpened(true);
  };

  if (collapsed)
    return (
      <button
        type="button"
        class={`pill ${on > 0 ? 'danger' : ''}`}
        aria-expanded="false"
        data-testid="panel-expand"
        onClick={() => toggle(false)}
      >
        Sentinel · {profile.name} key guide{on > 0 ? ` · ⚠ ${on} to switch off` : ''}
      </button>
    );

  return (
    <section
      class="panel"
      data-testid="panel"
      data-exchange={profile.id}
      aria-label="Sentinel Companion guide"
    >
      <header>
        <h2>Sentinel Companion · {profile.name} API key</h2>
        <button
          type="button"
          class="icon"
          aria-expanded="true"
          aria-label="Collapse the Sentinel guide"
          data-testid="panel-collapse"
          onClick={() => toggle(true)}
        >
          –
        </button>
      </header>
      <div class="body">
        <HostLine />
        <PageHints found={found} />
        <div class="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'guide'}
            data-testid="tab-guide"
            onClick={() => show('guide')}
          >
            Guide
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'connect'}
            data-testid="tab-connect"
            onClick={() => show('connect')}
          >
            {rotate ? 'Rotate key' : 'Connect key'}
          </button>
        </div>
        <div role="tabpanel" hidden={tab !== 'guide'}>
          <KeyChoice profile={profile} onConnect={() => show('connect')} />
          <GuideSteps profile={profile} ticks={ticks} onTick={tick} label={label} />
          <PermissionAdvice profile={profile} />
        </div>
        {frameOpened && (
          <div role="tabpanel" hidden={tab !== 'connect'}>
            <SetupFrame rotate={rotate} />
          </div>
        )}
      </div>
    </section>
  );
}
