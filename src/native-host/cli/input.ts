/**
 * Reading secrets for the CLI: a hidden prompt on a terminal, or one line at a time from stdin
 * (pipes, scripts, systemd). Never from arguments or the environment, where other processes and
 * shell histories can see them.
 */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

export interface SecretInput {
  /** Ask for one value; `hidden` values are not echoed on a terminal. */
  ask(prompt: string, opts?: { hidden?: boolean }): Promise<string>;
  readonly interactive: boolean;
  close(): void;
}

/** Lines from a non-terminal stdin, handed out one per ask(). */
class PipedInput implements SecretInput {
  readonly interactive = false;
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;
  private readonly rl: Interface;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.waiting?.(null);
    });
  }

  async ask(prompt: string): Promise<string> {
    const line =
      this.lines.shift() ??
      (this.ended ? null : await new Promise<string | null>((r) => (this.waiting = r)));
    if (line === null)
      throw new Error(`expected a line on standard input for: ${prompt.replace(/:\s*$/, '')}`);
    return line;
  }

  close(): void {
    this.rl.close();
  }
}

/** A terminal: the prompt goes to stderr, hidden answers are not echoed. */
class TerminalInput implements SecretInput {
  readonly interactive = true;
  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
  ) {}

  ask(prompt: string, opts: { hidden?: boolean } = {}): Promise<string> {
    this.output.write(prompt);
    const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
    const rl = createInterface({
      input: this.input,
      output: opts.hidden ? muted : this.output,
      terminal: true,
    });
    return new Promise((resolve, reject) => {
      rl.once('line', (line) => {
        if (opts.hidden) this.output.write('\n');
        rl.close();
        resolve(line);
      });
      rl.once('SIGINT', () => {
        rl.close();
        this.output.write('\n');
        reject(new Error('cancelled'));
      });
    });
  }

  close(): void {}
}

export function secretInput(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): SecretInput {
  return input.isTTY ? new TerminalInput(input, output) : new PipedInput(input);
}
