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
});
