/** `npm run demo`'s program, run as a newcomer would (after the build): it must pass end to end. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, requireBuiltHost } from '../helpers/host.js';
import { requireChromium } from '../helpers/chromium.js';

it('the demo walks the whole system and passes', async () => {
  requireBuiltHost();
  requireChromium();
  const out = mkdtempSync(join(tmpdir(), 'sc-demo-out-'));
  try {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(
          process.execPath,
          [join(ROOT, 'dist/dev/demo/main.js'), '--headless', '--out', out],
          {
            env: { ...process.env, CI: 'true' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Demo passed');
    expect(result.stdout).toMatch(/refused.*nothing was stored/i);
    expect(result.stdout).toMatch(/rejected \(bad-signature\)/);
    expect(result.stdout).toMatch(/rejected \(over-max-order\)/);
    expect(result.stdout).toMatch(/executed/);
    // The perpetual swap: refused while the key may not trade futures, then opened at 3x with a
    // stop-loss and a take-profit, and closed by the stop-loss when the price falls through it.
    expect(result.stdout).toMatch(/refused, the key may not trade futures/);
    expect(result.stdout).toMatch(/its futures check is now ok/);
    expect(result.stdout).toMatch(
      /Signal \S+_swap \(v2: buy 0\.005 BTC of BTC\/USDT:USDT .*leverage 3.*\): executed/,
    );
    expect(result.stdout).toMatch(/journal: stop-loss sell placed/);
    expect(result.stdout).toMatch(/holds 2 separate reduce-only algo orders/);
    expect(result.stdout).toMatch(
      /"sentinel-host positions": \S+ BTC\/USDT:USDT LONG 0\.005 .*SL \d+ +TP \d+/,
    );
    expect(result.stdout).toMatch(/the stop-loss fired .*the position is closed/);
    expect(result.stdout).toMatch(/the host's reconciliation cancelled the take-profit/);
    expect(result.stdout).toMatch(/journal: take-profit: cancelled: its position is closed/);
    expect(result.stdout).toContain(
      'at the simulated Binance: 1 entry filled, 1 stop-loss filled, take-profit canceled, 0 open positions',
    );
    expect(result.stdout).toMatch(/"sentinel-host positions": no open positions/);
    const shots = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(shots).toContain('7-popup-swap-position.png');
    expect(shots.length).toBeGreaterThanOrEqual(7);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 180_000);
