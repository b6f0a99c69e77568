/**
 * `sentinel-host repair`: the vault ↔ state check, headless. Starts the service if needed,
 * unlocks the vault (passphrase from the terminal or stdin) — the check runs at every unlock —
 * then asks for it once more (host.repair) and prints what was found, what was done and what to
 * do. Exit 0 when vault and state agree (or were put right), 1 when something could not be.
 */
import { asTyped, cliName } from '../command-name.js';
import { callService } from '../../ipc/client.js';
import { connectOrStart } from '../../ipc/start-service.js';
import { hostPaths } from '../../paths.js';
import type { IntegrityReport } from '../../../protocol/methods.js';
import { secretInput } from '../input.js';

const out = (text: string): void => void process.stdout.write(`${text}\n`);

export function printReport(r: IntegrityReport, write: (line: string) => void = out): void {
  if (r.problems.length === 0 && r.repaired.length === 0) {
    write('vault and state agree: nothing to repair');
    return;
  }
  if (r.problems.length > 0) write('found:');
  for (const p of r.problems)
    write(`  - [${p.kind}] ${asTyped(p.message)}${p.keptAt ? ` (kept as ${p.keptAt})` : ''}`);
  if (r.repaired.length > 0) write('done:');
  for (const line of r.repaired) write(`  - ${line}`);
  if (r.advice) write(`next: ${asTyped(r.advice)}`);
}

export async function runRepair(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(
      `usage: ${cliName()} repair [--json]\nChecks that every secret in the vault has its connection and every connection its secret; rebuilds lost connections from the vault (dry-run, trading paused) and pauses connections without a secret. The vault passphrase is read from the terminal or stdin when the vault is locked.`,
    );
    return 0;
  }
  const json = args.includes('--json');
  const paths = hostPaths();
  const link = await connectOrStart(paths);
  if (!link) {
    process.stderr.write(`the service did not start; see ${paths.serviceLog}\n`);
    return 1;
  }
  link.socket.destroy();
  const hello = await callService(paths, 'host.hello', { client: 'cli-repair' });
  if (hello.vault === 'absent') {
    if (hello.integrity) {
      printReport(hello.integrity);
      return 1;
    }
    out('no vault yet: no secrets to check');
    return 0;
  }
  if (hello.vault === 'locked') {
    const input = secretInput();
    try {
      const passphrase = await input.ask('Vault passphrase: ', { hidden: true });
      await callService(paths, 'vault.unlock', { passphrase }, { timeoutMs: 30_000 });
    } finally {
      input.close();
    }
    if (!json) out('vault unlocked');
  }
  const result = await callService(paths, 'host.repair', {}, { timeoutMs: 30_000 });
  if (json) out(JSON.stringify(result));
  else printReport(result);
  return result.consistent ? 0 : 1;
}
