/**
 * Reading and clicking inside the extension's closed shadow roots in Firefox, where puppeteer
 * speaks WebDriver BiDi and there is no DevTools protocol (closed-shadow.ts is the Chromium one).
 * BiDi serializes a closed shadow root when asked (`serializationOptions.includeShadowTree:
 * "all"`), as a shared reference that later calls take as an argument: the test's functions then
 * run on the root without the page ever getting a handle on it. Clicks are real mouse clicks at
 * the element's position, as in closed-shadow.ts.
 */
import type { Page } from 'puppeteer';

/** The part of puppeteer's BiDi realm (bidi/core/Realm.js) this uses: raw script.callFunction. */
interface BidiRealm {
  callFunction(
    functionDeclaration: string,
    awaitPromise: boolean,
    options?: Record<string, unknown>,
  ): Promise<EvaluateResult>;
}

type EvaluateResult =
  | { type: 'success'; result: RemoteValue }
  | { type: 'exception'; exceptionDetails: { text?: string } };

interface RemoteValue {
  type: string;
  value?: unknown;
  sharedId?: string;
}

type LocalValue = { type: 'string'; value: string } | { sharedId: string };

/** script.callFunction in the page's own realm; a thrown exception is rethrown here. */
async function call(
  page: Page,
  fn: string,
  options: Record<string, unknown>,
): Promise<RemoteValue> {
  const r = await realmOf(page).callFunction(fn, false, options);
  if (r.type !== 'success') throw new Error(`in the page: ${r.exceptionDetails.text ?? 'error'}`);
  return r.result;
}

function realmOf(page: Page): BidiRealm {
  const frame = page.mainFrame() as unknown as {
    browsingContext?: { defaultRealm?: BidiRealm };
  };
  const realm = frame.browsingContext?.defaultRealm;
  if (!realm) throw new Error('not a WebDriver BiDi page (launch Firefox with puppeteer)');
  return realm;
}

/** A RemoteValue (script.callFunction's result) as plain JSON. */
function plain(v: RemoteValue): unknown {
  switch (v.type) {
    case 'undefined':
    case 'null':
      return null;
    case 'string':
    case 'number':
    case 'boolean':
      return v.value;
    case 'array':
      return (v.value as RemoteValue[]).map(plain);
    case 'object':
      return Object.fromEntries(
        (v.value as [string | RemoteValue, RemoteValue][]).map(([k, x]) => [
          typeof k === 'string' ? k : String(plain(k)),
          plain(x),
        ]),
      );
    default:
      return null;
  }
}

export class BidiClosedShadow {
  constructor(
    private readonly page: Page,
    private readonly hostTag: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** The closed root as a shared reference, or null while the host element is absent. */
  private async root(): Promise<LocalValue | null> {
    const r = await call(this.page, 'function (tag) { return document.querySelector(tag); }', {
      arguments: [{ type: 'string', value: this.hostTag }],
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
    });
    const node = r.value as { shadowRoot?: { sharedId?: string } | null } | undefined;
    const id = node?.shadowRoot?.sharedId;
    return id ? { sharedId: id } : null;
  }

  /** Runs `body` (the text of a function (root, selector) => JSON) on the root. */
  private async run<T>(selector: string, body: string): Promise<T | null> {
    const root = await this.root();
    if (!root) return null;
    const r = await call(this.page, body, {
      arguments: [root, { type: 'string', value: selector }],
    });
    return plain(r) as T;
  }

  private async on<T>(selector: string, expr: string): Promise<T> {
    const out = await this.run<{ found: boolean; value: T }>(
      selector,
      `function (root, sel) { const el = root.querySelector(sel); return el ? { found: true, value: (${expr})(el, root) } : { found: false }; }`,
    );
    if (!out?.found) throw new Error(`${this.hostTag}: nothing matches ${selector}`);
    return out.value;
  }

  async count(selector: string): Promise<number> {
    return (
      (await this.run<number>(
        selector,
        'function (root, sel) { return root.querySelectorAll(sel).length; }',
      )) ?? 0
    );
  }

  async exists(selector: string): Promise<boolean> {
    return (await this.count(selector)) > 0;
  }

  text(selector: string): Promise<string> {
    return this.on(selector, '(el) => el.innerText ?? el.textContent');
  }

  attr(selector: string, name: string): Promise<string | null> {
    return this.on(selector, `(el) => el.getAttribute(${JSON.stringify(name)})`);
  }

  prop(selector: string, name: string): Promise<unknown> {
    return this.on(selector, `(el) => el[${JSON.stringify(name)}]`);
  }

  /** Every text and attribute value inside the root. */
  async html(): Promise<string> {
    return (
      (await this.run<string>('*', 'function (root) { return root.innerHTML; }')) ??
      '(no shadow root)'
    );
  }

  async click(selector: string): Promise<void> {
    const box = await this.on<{ x: number; y: number; w: number; h: number }>(
      selector,
      '(el) => { el.scrollIntoView({ block: "center" }); const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; }',
    );
    if (box.w === 0 && box.h === 0) throw new Error(`${this.hostTag}: ${selector} is not visible`);
    await this.page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
  }

  async until(what: string, fn: () => Promise<boolean>, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await fn().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
