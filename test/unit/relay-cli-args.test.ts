/** The relay CLI's `GROUP ACTION [--help]` prologue, shared by `subscribers` and `providers`. */
import { routeAction, UsageError } from '../../tools/signal-relay/cli-args.js';

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
