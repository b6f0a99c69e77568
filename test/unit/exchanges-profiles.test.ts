import { readFileSync } from 'node:fs';
import {
  EXCHANGE_IDS,
  GOLDEN_RULES,
  PERMISSIONS,
  PROFILES,
  exchangeForUrl,
  labelPasses,
  profileFor,
} from '../../src/exchanges/index.js';

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as { content_scripts: { matches: string[] }[] };
const manifestMatches = manifest.content_scripts.flatMap((c) => c.matches);

describe('API pages', () => {
  it.each(EXCHANGE_IDS)('%s: sitePages equal the manifest’s content-script matches', (id) => {
    const host = new URL(PROFILES[id].apiPageUrl).host;
    const forHost = manifestMatches.filter((m) => m.startsWith(`https://${host}/`));
    // The whole site (a single-page app), nothing beyond it; isApiPage decides where the panel shows.
    expect([...PROFILES[id].sitePages].sort()).toEqual(forHost.sort());
    expect(forHost).toEqual([`https://${host}/*`]);
    expect(PROFILES[id].isApiPage(PROFILES[id].apiPageUrl)).toBe(true);
  });

  const pages: [string, string | null][] = [
    ['https://www.binance.com/my/settings/api-management', 'binance'],
    ['https://www.binance.com/en/my/settings/api-management', 'binance'],
    ['https://www.binance.com/zh-CN/my/settings/api-management?type=create', 'binance'],
    ['https://www.binance.com/en-GB/my/settings/api-management/', 'binance'],
    ['https://www.binance.com/en/my/settings/api-management#top', 'binance'],
    ['https://www.bybit.com/app/user/api-management', 'bybit'],
    ['https://www.bybit.com/en/app/user/api-management', 'bybit'],
    ['https://www.bybit.com/zh-TW/app/user/api-management?tab=1', 'bybit'],
    ['https://www.okx.com/account/my-api', 'okx'],
    ['https://www.okx.com/zh-hans/account/my-api', 'okx'],
    ['https://www.okx.com/en-eu/account/my-api/create', 'okx'],
    // not API pages
    ['https://www.binance.com/en/my/settings/profile', null],
    ['https://www.binance.com/en/trade/BTC_USDT', null],
    ['https://www.binance.com/en/my/settings/api-managementx', null],
    ['https://www.binance.com/a/b/my/settings/api-management', null],
    ['https://www.binance.com/not-a-locale-segment/my/settings/api-management', null],
    ['http://www.binance.com/en/my/settings/api-management', null],
    ['https://binance.com.evil.example/en/my/settings/api-management', null],
    ['https://www.bybit.com/en/app/user/overview', null],
    ['https://www.okx.com/account/my-apis', null],
    ['https://www.okx.com/trade-spot/btc-usdt', null],
    ['https://example.com/account/my-api', null],
    ['not a url', null],
    ['', null],
  ];
  it.each(pages)('%s → %s', (url, id) => {
    expect(exchangeForUrl(url)).toBe(id);
    for (const ex of EXCHANGE_IDS) expect(PROFILES[ex].isApiPage(url)).toBe(ex === id);
  });

  it('profileFor returns the profile of that id', () => {
    for (const id of EXCHANGE_IDS) expect(profileFor(id).id).toBe(id);
  });
});

describe('credentials, guide and label', () => {
  it('names the credentials the way each exchange does', () => {
    const labels = (id: 'binance' | 'bybit' | 'okx') =>
      PROFILES[id].credentialFields.map((f) => [f.id, f.label, f.secret]);
    expect(labels('binance')).toEqual([
      ['apiKey', 'API Key', false],
      ['secret', 'Secret Key', true],
    ]);
    expect(labels('bybit')).toEqual([
      ['apiKey', 'API Key', false],
      ['secret', 'API Secret', true],
    ]);
    expect(labels('okx')).toEqual([
      ['apiKey', 'API Key', false],
      ['secret', 'Secret Key', true],
      ['passphrase', 'Passphrase', true],
    ]);
  });

  it.each(EXCHANGE_IDS)('%s guide: 2FA first, label and IP copy boxes, secret saved now', (id) => {
    const steps = PROFILES[id].guideSteps;
    expect(steps[0]?.id).toBe('2fa');
    expect(steps.at(-1)?.id).toBe('save-secret');
    expect(steps.filter((s) => s.copy === 'label')).toHaveLength(1);
    expect(steps.find((s) => s.copy === 'ip')?.warning).toContain(
      'Without IP restriction, anyone who obtains your API key can trade on your account',
    );
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    const all = steps.flatMap((s) => [s.title, ...s.items, s.warning ?? '']).join('\n');
    expect(all).toMatch(/NEVER enable/i);
    expect(all).toMatch(/only once|cannot be retrieved|cannot show the Secret Key again/);
    for (const s of steps) expect(s.items.length).toBeGreaterThan(0);
  });

  it('Binance: system-generated key; OKX: passphrase', () => {
    const text = (id: 'binance' | 'okx') =>
      PROFILES[id].guideSteps.flatMap((s) => s.items).join('\n');
    expect(text('binance')).toContain('Select "System Generated"');
    expect(text('okx')).toContain('Create a passphrase');
  });

  it.each(EXCHANGE_IDS)('%s: the suggested label passes the exchange’s own label rule', (id) => {
    const rule = PROFILES[id].labelRule;
    for (const d of ['2025-11-26T23:30:00Z', '2026-01-01T00:00:00Z', '2099-12-31T23:59:59Z']) {
      const label = PROFILES[id].suggestedLabel(new Date(d));
      expect(labelPasses(rule, label), `${id}: ${label}`).toBe(true);
      expect(label).toContain('Sentinel');
      expect(label.replace(/\D/g, '')).toBe(d.slice(0, 10).replace(/-/g, '')); // UTC date
    }
    // The rule itself refuses what the exchanges refuse.
    expect(labelPasses(rule, 'Sentinel – trade only')).toBe(false);
    expect(labelPasses(rule, 'x'.repeat(rule.maxLength + 1))).toBe(false);
  });

  it('OKX: letters and digits only, at most 50 (FACTS.md)', () => {
    const rule = PROFILES.okx.labelRule;
    expect(PROFILES.okx.suggestedLabel(new Date('2025-11-26T12:00:00Z'))).toBe('Sentinel20251126');
    expect(labelPasses(rule, 'Sentinel 20251126')).toBe(false);
    expect(labelPasses(rule, 'Sentinel-20251126')).toBe(false);
    expect(labelPasses(rule, 'a'.repeat(50))).toBe(true);
    expect(labelPasses(rule, 'a'.repeat(51))).toBe(false);
  });
});

describe('permission catalogues', () => {
  it.each(EXCHANGE_IDS)('%s: withdraw is "never", read and spot "enable"', (id) => {
    const cat = PROFILES[id].permissionCatalogue;
    const of = (p: string) => cat.filter((e) => e.permission === p);
    expect(of('withdraw').map((e) => e.advice)).toEqual(['never']);
    expect(of('withdraw')[0]?.why).toMatch(/NEVER/);
    expect(of('read')[0]?.advice).toBe('enable');
    expect(of('spot')[0]?.advice).toBe('enable');
    for (const e of cat) {
      expect(e.permission === null || PERMISSIONS.includes(e.permission)).toBe(true);
      expect(e.pageLabels.length).toBeGreaterThan(0);
      expect(e.why.length).toBeGreaterThan(10);
    }
    const names = cat.flatMap((e) => e.apiNames);
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps the exchanges’ own names and visible labels', () => {
    const find = (id: 'binance' | 'bybit' | 'okx', apiName: string) =>
      PROFILES[id].permissionCatalogue.find((e) => e.apiNames.includes(apiName));
    expect(find('binance', 'enableWithdrawals')?.pageLabels).toContain('Enable Withdrawals');
    expect(find('binance', 'enableWithdrawals')?.why).toBe(
      'NEVER ENABLE THIS. There is no legitimate reason for a trading bot to withdraw funds.',
    );
    expect(find('binance', 'enableInternalTransfer')?.advice).toBe('disable');
    expect(find('bybit', 'Wallet: Withdraw')?.permission).toBe('withdraw');
    expect(find('bybit', 'Wallet: AccountTransfer')?.permission).toBe('transfer');
    expect(find('bybit', 'Wallet: SubMemberTransfer')?.pageLabels).toContain('Wallet');
    expect(find('okx', 'withdraw')?.pageLabels).toEqual(['Withdraw']);
    expect(find('okx', 'trade')?.covers).toEqual(['margin', 'futures', 'options']);
    const labels = (id: 'binance' | 'bybit' | 'okx') =>
      PROFILES[id].permissionCatalogue.flatMap((e) => e.pageLabels);
    expect(labels('binance')).toEqual(
      expect.arrayContaining([
        'Enable Withdrawals',
        'Enable Internal Transfer',
        'Enable Futures',
        'Enable Vanilla Options',
        'Enable Spot & Margin Trading',
        'Enable Reading',
      ]),
    );
    expect(labels('bybit')).toEqual(
      expect.arrayContaining(['Withdraw', 'Wallet', 'Exchange', 'NFT', 'Read-Only', 'Trade']),
    );
    expect(labels('okx')).toEqual(['Read', 'Trade', 'Withdraw']);
  });
});

describe('client order id rules', () => {
  it('per exchange', () => {
    expect(PROFILES.binance.clientOrderId.pattern.test('x-AbC.9:/_-' + 'a'.repeat(25))).toBe(true);
    expect(PROFILES.binance.clientOrderId.pattern.test('a'.repeat(37))).toBe(false);
    expect(PROFILES.bybit.clientOrderId.pattern.test('abc_DEF-123')).toBe(true);
    expect(PROFILES.bybit.clientOrderId.pattern.test('abc.def')).toBe(false);
    expect(PROFILES.okx.clientOrderId.pattern.test('a'.repeat(32))).toBe(true);
    expect(PROFILES.okx.clientOrderId.pattern.test('a'.repeat(33))).toBe(false);
    expect(PROFILES.okx.clientOrderId.pattern.test('abc_def')).toBe(false);
    expect(EXCHANGE_IDS.map((id) => PROFILES[id].clientOrderId.maxLength)).toEqual([36, 36, 32]);
    expect(PROFILES.bybit.clientOrderId.lookupParam).toBe('orderLinkId');
  });
});

describe('GOLDEN_RULES', () => {
  it('carries the guide’s sentences', () => {
    expect(GOLDEN_RULES.alwaysEnable.map((r) => r.title)).toEqual([
      'Read/View access',
      'Trade access',
    ]);
    expect(GOLDEN_RULES.neverEnable[0]?.why).toContain(
      'No trading bot should ever have withdrawal permissions.',
    );
    expect(GOLDEN_RULES.enableOnlyIfNeeded.map((r) => r.why)).toEqual([
      'Only if your strategy trades futures',
      'Only if your strategy uses margin',
      'Almost never needed for trading bots',
    ]);
  });
});
