/**
 * The entry that launchers and service units installed before the host's entry became main.ts
 * point to (dist/host/native-host/cli.js). Kept so an existing install keeps working; a new
 * install (`npm run setup`) points at main.js.
 */
import './main.js';
