/** The relay CLI's argument reading and its `GROUP ACTION [--help]` prologue (subscribers, providers). */
import { parseArgs, routeAction, UsageError } from '../../tools/signal-relay/cli-args.js';

const HELP = { list: 'list help', add: 'add help' };

function route(argv: string[]) {
  const printed: string[] = [];
  const r = routeAction(argv, 'subscribers', 'group usage', HELP, {
    stdout: (t) => printed.push(t),
  });
  return { r, printed };
}

describe('routeAction', () => {
  it.each([
    [[], 2, ['group usage']],
    [['--help'], 0, ['group usage']],
    [['-h'], 0, ['group usage']],
    [['help'], 0, ['group usage']],
    [['add', '--help'], 0, ['add help']],
    [['list', '--config', 'x.json', '-h'], 0, ['list help']],
  ] as const)('%j answers exit %i and prints %j', (argv, code, printed) => {
    expect(route([...argv])).toEqual({ r: code, printed });
  });

  it('an action with its arguments is handed on', () => {
    expect(route(['add', '--name', 'alice'])).toEqual({
      r: { action: 'add', rest: ['--name', 'alice'] },
      printed: [],
    });
  });

  it('an unknown action is a usage error naming the group', () => {
    expect(() => route(['ad'])).toThrow(UsageError);
    expect(() => route(['ad'])).toThrow('unknown subscribers action "ad"');
  });
});

describe('parseArgs (node:util parseArgs, strict)', () => {
  const read = (argv: string[]) => {
    const a = parseArgs(argv, ['config', 'out'], ['force']);
    return { values: Object.fromEntries(a.values), flags: [...a.flags] };
  };
  it.each([
    [['--config', 'a.json'], { config: 'a.json' }, []],
    [['--config=a.json'], { config: 'a.json' }, []],
    [['--out', 'x', '--force'], { out: 'x' }, ['force']],
    [[], {}, []],
  ] as const)('%j reads as %j with flags %j', (argv, values, flags) => {
    expect(read([...argv])).toEqual({ values, flags });
  });

  it.each([
    [['--config'], '--config needs a value'],
    [['--bogus', '1'], 'unknown option --bogus'],
    [['stray'], 'unexpected argument "stray"'],
    [['--config', 'a', '--config', 'b'], '--config given twice'],
    [['--force=yes'], '--force takes no value'],
    [['-c', 'x'], 'unknown option -c'],
  ] as const)('%j is a usage error: %s', (argv, message) => {
    expect(() => read([...argv])).toThrow(UsageError);
    expect(() => read([...argv])).toThrow(message);
  });
});
