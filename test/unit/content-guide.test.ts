/**
 * What the guide panel shows per exchange, where it runs (manifest = profiles), and what a
 * content script may ask the background (the allow-list).
 */
import { readFileSync } from 'node:fs';
import { EXCHANGE_IDS, PROFILES, exchangeForUrl } from '../../src/exchanges/index.js';
import {
  STORAGE_KEYS,
  permissionGroups,
  progressText,
  rotateIdFromHash,
  sanitizeTicks,
  setupFrameUrl,
} from '../../src/content/guide-model.js';
import { contentRequestHandler } from '../../src/background/content-requests.js';
import {
  EXCHANGE_HOSTS,
  parseContentRequest,
  senderKind,
} from '../../src/background/sender-gate.js';
import type { NativeHostLink } from '../../src/background/native-host-link.js';
import type { RpcReply } from '../../src/protocol/extension-messages.js';

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as {
  content_scripts: { matches: string[]; js: string[] }[];
  web_accessible_resources: { resources: string[]; matches: string[] }[];
};

describe('the guide per exchange', () => {
  it.each(EXCHANGE_IDS)(
    "%s: its own steps, with the label and IP copy boxes and the 'shown once' warning",
    (id) => {
      const steps = PROFILES[id].guideSteps;
      expect(steps[0]?.id).toBe('2fa');
      expect(steps.filter((s) => s.copy === 'label')).toHaveLength(1);
      expect(steps.filter((s) => s.copy === 'ip')).toHaveLength(1);
      expect(steps.at(-1)?.id).toBe('save-secret');
      expect(steps.at(-1)?.warning).toMatch(/once|cannot be retrieved|cannot show/i);
    },
  );

  it.each(EXCHANGE_IDS)(
    '%s: withdraw is under "Never enable"; read and trade under "Enable"',
    (id) => {
      const groups = permissionGroups(PROFILES[id]);
      const names = (advice: string) =>
        groups.find((g) => g.advice === advice)?.lines.map((l) => l.uiName) ?? [];
      const withdraw = PROFILES[id].permissionCatalogue.find((e) => e.permission === 'withdraw')!;
      expect(names('never')).toEqual([withdraw.uiName]);
      expect(names('enable').length).toBeGreaterThanOrEqual(2);
      for (const g of groups) for (const l of g.lines) expect(l.why.length).toBeGreaterThan(10);
    },
  );

  it('Binance lists futures and options as "only if needed", transfers as "leave off"', () => {
    const groups = permissionGroups(PROFILES.binance);
    const only = groups.find((g) => g.advice === 'only-if-needed')!.lines.map((l) => l.uiName);
    expect(only).toEqual(expect.arrayContaining(['"Enable Futures"', '"Enable Vanilla Options"']));
    const off = groups.find((g) => g.advice === 'disable')!.lines.map((l) => l.uiName);
    expect(off).toContain('"Enable Internal Transfer"');
  });

  it('one line per toggle even when several catalogue entries share it (Bybit Pay)', () => {
    const off = permissionGroups(PROFILES.bybit).find((g) => g.advice === 'disable')!.lines;
    expect(off.filter((l) => l.uiName === '"Bybit Pay"')).toHaveLength(1);
  });

  it('ticks read back from storage keep only this exchange’s step ids', () => {
    const steps = PROFILES.okx.guideSteps;
    expect(sanitizeTicks(['2fa', 'nope', 42, '2fa', 'ip-whitelist'], steps)).toEqual([
      '2fa',
      'ip-whitelist',
    ]);
    expect(sanitizeTicks('2fa', steps)).toEqual([]);
    expect(progressText(['2fa'], steps)).toBe(`1 of ${steps.length} steps done`);
    expect(STORAGE_KEYS.ticks('okx')).toBe('guide.ticks.okx');
  });

  it('the rotation hash from the popup, and nothing else, opens rotation mode', () => {
    expect(rotateIdFromHash('#sentinel-rotate=c_AbC123')).toBe('c_AbC123');
    expect(rotateIdFromHash('#tab=keys&sentinel-rotate=c_x1')).toBe('c_x1');
    expect(rotateIdFromHash('#sentinel-rotate=<img>')).toBeNull();
    expect(rotateIdFromHash('#sentinel-rotate=c_')).toBeNull();
    expect(rotateIdFromHash('')).toBeNull();
    // The form's frame carries the ticket's nonce only, never the exchange or the connection.
    const nonce = 'N'.repeat(43);
    expect(setupFrameUrl('chrome-extension://abc/src/setup/index.html', nonce)).toBe(
      `chrome-extension://abc/src/setup/index.html#ticket=${nonce}`,
    );
  });
});

describe('where the panel runs', () => {
  it("the manifest's content-script matches are exactly the profiles' sitePages", () => {
    const matches = manifest.content_scripts.flatMap((c) => c.matches).sort();
    expect(matches).toEqual(EXCHANGE_IDS.flatMap((id) => PROFILES[id].sitePages).sort());
  });

  it('the setup form is web-accessible to the three exchange hosts only', () => {
    const war = manifest.web_accessible_resources;
    expect(war).toHaveLength(1);
    expect(war[0]?.resources).toEqual(['src/setup/index.html']);
    expect(war[0]?.matches.sort()).toEqual([...EXCHANGE_HOSTS].map((h) => `https://${h}/*`).sort());
  });

  it('isApiPage decides: a locale prefix yes, deeper paths and other pages no', () => {
    expect(exchangeForUrl('https://www.binance.com/en/my/settings/api-management')).toBe('binance');
    expect(exchangeForUrl('https://www.binance.com/en/fr/my/settings/api-management')).toBeNull();
    expect(exchangeForUrl('https://www.binance.com/en/markets')).toBeNull();
  });
});

describe("the background's allow-list for content scripts", () => {
  const ID = 'accinggnclbnniddladpeaeijoblkmhg';
  const BASE = `chrome-extension://${ID}/`;
  const tab = { id: 1 };

  it('tells extension pages, exchange content scripts and everything else apart', () => {
    expect(
      senderKind({ id: ID, url: `${BASE}src/setup/index.html?exchange=okx`, tab }, ID, BASE),
    ).toBe('extension-page');
    expect(senderKind({ id: ID, url: `${BASE}src/popup/index.html` }, ID, BASE)).toBe(
      'extension-page',
    );
    expect(senderKind({ id: ID, url: 'https://www.okx.com/account/my-api', tab }, ID, BASE)).toBe(
      'exchange-content-script',
    );
    expect(senderKind({ id: ID, url: 'http://www.okx.com/account/my-api', tab }, ID, BASE)).toBe(
      'other',
    );
    expect(senderKind({ id: ID, url: 'https://evil.example/', tab }, ID, BASE)).toBe('other');
    expect(senderKind({ id: 'another-extension', url: `${BASE}x`, tab }, ID, BASE)).toBe('other');
    expect(senderKind({ id: ID, url: 'https://www.okx.com/' }, ID, BASE)).toBe('other'); // not in a tab
  });

  it('admits exactly content.status and content.publicIp, never host.rpc', () => {
    expect(parseContentRequest({ type: 'content.status' })).toEqual({ type: 'content.status' });
    expect(parseContentRequest({ type: 'content.publicIp', fresh: true, extra: 'x' })).toEqual({
      type: 'content.publicIp',
      fresh: true,
    });
    expect(parseContentRequest({ type: 'host.rpc', method: 'connections.list' })).toBeNull();
    expect(parseContentRequest({ type: 'host.status' })).toBeNull();
    expect(parseContentRequest('content.status')).toBeNull();
    expect(parseContentRequest(null)).toBeNull();
  });

  function fakeLink(reply: RpcReply) {
    const calls: { method: string; params: unknown }[] = [];
    const link = {
      settled: async () => ({
        connection: 'connected',
        problem: { kind: 'failed', browserMessage: 'x' },
        hello: {
          vault: 'unlocked',
          version: '1',
          protocol: 1,
          trading: { paused: false },
          service: { pid: 9, startedAt: '' },
        },
      }),
      request: async (method: string, params: unknown) => {
        calls.push({ method, params });
        return reply;
      },
    };
    return { link: link as unknown as NativeHostLink, calls };
  }

  it('answers with trimmed fields only: no pid, no error texts, no extra result fields', async () => {
    const { link, calls } = fakeLink({
      ok: true,
      result: { ip: '203.0.113.10', checkedAt: 't', secret: 'x' },
    });
    const answer = contentRequestHandler(link);
    expect(await answer({ type: 'content.status' })).toEqual({
      connection: 'connected',
      vault: 'unlocked',
    });
    expect(await answer({ type: 'content.publicIp' })).toEqual({
      ok: true,
      ip: '203.0.113.10',
      checkedAt: 't',
    });
    expect(calls).toEqual([{ method: 'network.publicIp', params: { fresh: false } }]);
  });

  it('a page cannot make the host re-ask the IP service more than every 30 s', async () => {
    const { link, calls } = fakeLink({
      ok: true,
      result: { ip: null, checkedAt: 't', problem: 'offline' },
    });
    let now = 1_000_000;
    const answer = contentRequestHandler(link, () => now);
    await answer({ type: 'content.publicIp', fresh: true });
    await answer({ type: 'content.publicIp', fresh: true });
    now += 30_000;
    expect(await answer({ type: 'content.publicIp', fresh: true })).toEqual({
      ok: true,
      ip: null,
      checkedAt: 't',
      problem: 'offline',
    });
    expect(calls.map((c) => (c.params as { fresh: boolean }).fresh)).toEqual([true, false, true]);
  });
});
