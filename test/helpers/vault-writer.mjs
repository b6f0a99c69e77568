// Child process for the crash test: saves the vault in a loop, printing each counter value
// after its save returned (so the parent knows which values were durably committed).
import { Vault } from '../../dist/host/native-host/service/vault/vault.js';

const [home] = process.argv.slice(2);
const PASS = 'crash test passphrase';
const vault = new Vault(home, { insecureTestKdf: true }); // scrypt N=2^10: saves are tested, not the KDF;
vault.checkFiles();
if (vault.state() === 'absent') await vault.create(PASS);
else await vault.unlock(PASS);
let n = Number(vault.read().connections.c_counter?.apiKey.slice(8) ?? 0);
for (;;) {
  n++;
  // Vary the size so a torn write would show as a length or tag mismatch.
  await vault.update((d) => {
    d.connections.c_counter = { apiKey: `counter-${n}`, secret: 'x'.repeat(8 + ((n * 37) % 3000)) };
  });
  process.stdout.write(`${n}\n`);
}
