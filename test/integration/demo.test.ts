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
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(6);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 180_000);
