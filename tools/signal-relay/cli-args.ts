/** Argument and input helpers shared by the relay CLI's commands. */
import { readFileSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';

/** A mistake in the command line or its input: exit code 2. */
export class UsageError extends Error {}

export type Args = { values: Map<string, string>; flags: Set<string> };

/**
 * Node's own `util.parseArgs` (strict: unknown options and stray words are errors), read into the
 * relay's shape; its error codes become usage errors in the relay's words. An option given twice is
 * refused rather than the last one silently winning.
 */
export function parseArgs(argv: string[], valued: string[], flags: string[] = []): Args {
  const options: Record<string, { type: 'string' | 'boolean'; multiple: boolean }> = {};
  for (const name of valued) options[name] = { type: 'string', multiple: true };
  for (const name of flags) options[name] = { type: 'boolean', multiple: false };
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(usageText(err, argv));
  }
  const out: Args = { values: new Map(), flags: new Set() };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true) out.flags.add(name);
    else if (Array.isArray(value)) {
      if (value.length > 1) throw new UsageError(`--${name} given twice`);
      if (typeof value[0] === 'string') out.values.set(name, value[0]);
    }
  }
  return out;
}

/** util.parseArgs' errors, said the way the relay's usage errors are. */
function usageText(err: unknown, argv: string[]): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(--?[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (!option) return message;
      return message.includes('does not take')
        ? `${option} takes no value`
        : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const word = argv.find((a) => !a.startsWith('-'));
      return `unexpected argument ${JSON.stringify(word ?? '')}`;
    }
    default:
      return message;
  }
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
