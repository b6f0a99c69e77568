#!/usr/bin/env node
// Entry for `sentinel-host`: runs the compiled host. Build it first with `npm run build`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/host/native-host/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'sentinel-host: the host is not built yet. Run "npm run build" in the project folder.\n',
  );
  process.exit(1);
}
await import(cli.href);
