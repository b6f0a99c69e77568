/**
 * The demo's voice: numbered steps on stdout in plain words, indented details under a step, and
 * `expect` for each outcome the demo promises — a miss stops the demo with a clear message.
 */

/** An expected outcome did not happen (exit 1), as opposed to the demo being unable to run. */
export class DemoFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoFailure';
  }
}

/** The demo cannot run here (no Chromium, no build): exit 2 with what to do. */
export class DemoPrerequisite extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoPrerequisite';
  }
}

export class Narrator {
  private n = 0;
  private readonly started = Date.now();
  readonly checks: string[] = [];
  readonly screenshots: string[] = [];

  constructor(
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  ) {}

  /** A numbered step: one line saying what happened. */
  step(text: string): void {
    this.n++;
    this.write(`${this.n}. ${text}`);
  }

  /** A detail line under the current step. */
  detail(text: string): void {
    this.write(`     ${text}`);
  }

  line(text = ''): void {
    this.write(text);
  }

  /** An expected outcome: recorded when it holds, the end of the demo when it does not. */
  expect(ok: boolean, what: string, otherwise: string): void {
    if (!ok) throw new DemoFailure(`${what}: ${otherwise}`);
    this.checks.push(what);
  }

  shot(path: string, what: string): void {
    this.screenshots.push(path);
    this.detail(`screenshot: ${path} (${what})`);
  }

  get currentStep(): number {
    return this.n;
  }

  elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }
}

/** Quote a message from the product, shortened to one readable line. */
export function quote(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
