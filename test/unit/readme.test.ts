import { readFileSync } from 'node:fs';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('README and CI agree', () => {
  it('.ci/run runs exactly the test line the README gives', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Run the tests'));
    const line = /```sh\n(.+)\n```/.exec(section)?.[1];
    expect(line).toBeDefined();
    const ciLines = read('.ci/run')
      .split('\n')
      .map((l) => l.trim());
    expect(ciLines).toContain(line);
  });

  it('the README names only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
    );
    const used = [...read('README.md').matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
    for (const name of used) expect(scripts).toContain(name);
  });

  it('one Node version everywhere: engines, .nvmrc, @types/node and every "Node.js X" in the docs', () => {
    const pkg = JSON.parse(read('package.json')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    const floor = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node);
    expect(floor, 'engines.node is ">=MAJOR.MINOR"').not.toBeNull();
    const [major, minor] = [floor![1], floor![2]];
    expect(read('.nvmrc').trim()).toBe(`${major}.${minor}`);
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
    for (const doc of ['README.md', 'docs/demo.md']) {
      for (const m of read(doc).matchAll(/Node(?:\.js)? (\d+(?:\.\d+)*)( or newer)?/g)) {
        if (/^\d+\.\d+\.\d+$/.test(m[1]!)) continue; // a measured machine's exact version
        expect(`${doc}: ${m[0]}`).toBe(`${doc}: Node.js ${major}.${minor} or newer`);
      }
    }
  });
});
