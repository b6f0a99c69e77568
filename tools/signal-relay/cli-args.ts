/** Argument and input helpers shared by the relay CLI's commands. */
import { readFileSync } from 'node:fs';

/** A mistake in the command line or its input: exit code 2. */
export class UsageError extends Error {}

export type Args = { values: Map<string, string>; flags: Set<string> };

export function parseArgs(argv: string[], valued: string[], flags: string[] = []): Args {
  const out: Args = { values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (flags.includes(name) && eq === -1) {
      out.flags.add(name);
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (out.values.has(name)) throw new UsageError(`--${name} given twice`);
    out.values.set(name, value);
  }
  return out;
}

/**
 * The `GROUP ACTION [--help]` prologue of the relay's run-time management commands (subscribers,
 * providers): no action prints the group's usage (exit 2), --help prints it (exit 0), an unknown
 * action is a usage error, and ACTION --help prints that action's help. Answers the exit code when
 * it printed something, else the action and its arguments.
 */
export function routeAction(
  argv: string[],
  group: string,
  usage: string,
  help: Record<string, string>,
  io: { stdout(text: string): void },
): number | { action: string; rest: string[] } {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
    io.stdout(usage);
    return action === undefined ? 2 : 0;
  }
  const actionHelp = help[action];
  if (actionHelp === undefined)
    throw new UsageError(`unknown ${group} action ${JSON.stringify(action)}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(actionHelp);
    return 0;
  }
  return { action, rest };
}

export function need(args: Args, name: string): string {
  const v = args.values.get(name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** The --signal option: JSON text, or - to read it from standard input (`io.readStdin`). */
export async function readSignal(
  args: Args,
  io: { readStdin(): Promise<string> },
): Promise<unknown> {
  const source = need(args, 'signal');
  const text = source === '-' ? await io.readStdin() : source;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--signal is not valid JSON');
  }
}
