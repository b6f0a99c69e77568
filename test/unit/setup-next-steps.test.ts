/**
 * What `sentinel-host setup` prints after installing and starting the service: numbered steps
 * true for this machine (the extension folder, the browsers registered, the vault's state).
 */
import { setupNextSteps } from '../../src/native-host/cli/commands/setup.js';

const dir = '/home/ann/sentinel/dist/extension';

describe('setup next steps', () => {
  it('a new machine: load the extension in the registered browsers, open the popup, create the vault, connect a key', () => {
    const lines = setupNextSteps({
      extensionDir: dir,
      extensionBuilt: true,
      browsers: ['chrome', 'chromium'],
      vault: 'absent',
    });
    expect(lines).toEqual([
      '',
      'Next steps:',
      '  1. Load the extension. In Google Chrome, Chromium (registered just now): open chrome://extensions, turn on Developer mode, click "Load unpacked" and choose this folder:',
      `     ${dir}`,
      '  2. Open the Sentinel Companion popup (its icon in the toolbar, or the puzzle-piece menu).',
      '  3. Create the vault there (or in a terminal: node bin/sentinel-host.js vault create).',
      "  4. Connect a key: open your exchange's API management page; the extension guides you through creating a key and connects it.",
      'Then check every link with: node bin/sentinel-host.js doctor',
    ]);
  });

  it('an existing vault is named, not created again', () => {
    const locked = setupNextSteps({
      extensionDir: dir,
      extensionBuilt: true,
      browsers: ['brave'],
      vault: 'locked',
    }).join('\n');
    expect(locked).toContain('In Brave (registered just now)');
    expect(locked).toContain('3. Your vault already exists (locked): unlock it in the popup');
    expect(locked).not.toContain('vault create');
    const unlocked = setupNextSteps({
      extensionDir: dir,
      extensionBuilt: true,
      browsers: ['chromium'],
      vault: 'unlocked',
    }).join('\n');
    expect(unlocked).toContain(
      '3. Your vault already exists and is unlocked; no need to create one.',
    );
  });

  it('the service did not answer: create the vault if there is none, and say why unsure', () => {
    const text = setupNextSteps({
      extensionDir: dir,
      extensionBuilt: true,
      browsers: ['chromium'],
      vault: null,
    }).join('\n');
    expect(text).toContain('Create the vault there if you have none yet');
    expect(text).toContain('setup could not tell');
  });

  it('an unbuilt extension comes first; Firefox gets its own way to load it', () => {
    const lines = setupNextSteps({
      extensionDir: dir,
      extensionBuilt: false,
      browsers: ['chromium', 'firefox'],
      vault: 'absent',
      cli: 'sentinel-host',
    });
    expect(lines[2]).toBe(`  1. Build the extension first: npm run build (it goes to ${dir}).`);
    expect(lines[3]).toMatch(/^ {2}2\. Load the extension\. In Chromium \(registered just now\)/);
    expect(lines).toContain(
      `     In Firefox: about:debugging → This Firefox → Load Temporary Add-on → /home/ann/sentinel/dist/firefox/manifest.json`,
    );
    expect(lines).toContain(
      '  4. Create the vault there (or in a terminal: sentinel-host vault create).',
    );
  });
});
