// Child process for the passphrase-change crash test (test/integration/vault-rekey-crash.test.ts),
// beside vault-writer.mjs. It opens the vault with whichever of the two passphrases opens it, adds
// one secret (printing `added <id>` once that save returned), then changes the passphrase to the
// other one:
//   step <k>   SIGKILLs itself right before the k-th file operation of the change (k ≥ the number
//              of operations: the change completes, and `changed <steps>` is printed).
//   loop       changes back and forth for ever, printing `changed <to>` after each returned;
//              the parent SIGKILLs it at a random moment.
// The file operations are counted by wrapping node:fs (syncBuiltinESMExports updates the named
// imports the vault's modules hold), so no hook exists in the product's code.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { Vault } from '../../dist/host/native-host/service/vault/vault.js';

const [home, mode, arg] = process.argv.slice(2);
const PASSES = ['rekey crash passphrase A', 'rekey crash passphrase B'];

let armed = false;
let steps = 0;
const killAt = mode === 'step' ? Number(arg) : Infinity;
for (const name of [
  'openSync',
  'writeSync',
  'fsyncSync',
  'closeSync',
  'renameSync',
  'unlinkSync',
  'readFileSync',
]) {
  const real = fs[name];
  fs[name] = function (...args) {
    if (armed) {
      if (steps === killAt) process.kill(process.pid, 'SIGKILL');
      steps++;
    }
    return real.apply(this, args);
  };
}
syncBuiltinESMExports();

const vault = new Vault(home, { insecureTestKdf: true }); // scrypt N=2^10: the writes are tested
vault.checkFiles();
let current = 0;
if (vault.state() === 'absent') await vault.create(PASSES[0]);
else {
  try {
    await vault.unlock(PASSES[0]);
  } catch (err) {
    if (err.reason !== 'BAD_PASSPHRASE') throw err;
    await vault.unlock(PASSES[1]);
    current = 1;
  }
}
const n = Object.keys(vault.read().connections).length + 1;
await vault.update((d) => {
  d.connections[`c_${n}`] = {
    apiKey: `key-${n}`,
    secret: `secret-${n}-${'x'.repeat((n * 37) % 700)}`,
  };
});
process.stdout.write(`added c_${n}\n`);

if (mode === 'step') {
  armed = true;
  await vault.changePassphrase(PASSES[current], PASSES[1 - current]);
  armed = false;
  process.stdout.write(`changed ${steps}\n`);
} else {
  for (;;) {
    await vault.changePassphrase(PASSES[current], PASSES[1 - current]);
    current = 1 - current;
    process.stdout.write(`changed ${current}\n`);
  }
}
