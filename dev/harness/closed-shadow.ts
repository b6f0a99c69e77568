/**
 * Reading and clicking inside the extension's closed shadow roots from outside the page (tests,
 * demo): through the DevTools protocol, DOM.getDocument with pierce: true sees closed roots; page
 * scripts and puppeteer's selectors cannot.
 */
import type { CDPSession, Page } from 'puppeteer';

interface CdpNode {
  nodeId: number;
  localName?: string;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
}

/** A stale node id (the DOM changed since the snapshot) is taken again, a few times. */
async function retryStale<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const stale =
        err instanceof Error && /No node with given id|Could not find node/.test(err.message);
      if (!stale || attempt >= 5) throw err;
    }
  }
}

/**
 * Looks inside a closed shadow root from the test, through the DevTools protocol (DOM.getDocument
 * with pierce: true sees closed roots; page scripts and puppeteer's selectors cannot). Clicks are
 * real mouse clicks at the element's position.
 */
export class ClosedShadow {
  private cdp: CDPSession | null = null;

  constructor(
    private readonly page: Page,
    private readonly hostTag: string,
    /** Default wait of `until`. */
    private readonly timeoutMs = 15_000,
  ) {}

  private async session(): Promise<CDPSession> {
    this.cdp ??= await this.page.createCDPSession();
    return this.cdp;
  }

  /** The shadow root's node id in a fresh DOM snapshot, or null while the host is absent. */
  private async rootId(): Promise<number | null> {
    const cdp = await this.session();
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as {
      root: CdpNode;
    };
    const stack: CdpNode[] = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.localName === this.hostTag) return n.shadowRoots?.[0]?.nodeId ?? null;
      stack.push(...(n.children ?? []));
    }
    return null;
  }

  async all(selector: string): Promise<number[]> {
    const root = await this.rootId();
    if (root === null) return [];
    const cdp = await this.session();
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root, selector });
    return nodeIds;
  }

  async exists(selector: string): Promise<boolean> {
    return (await this.all(selector)).length > 0;
  }

  /**
   * Node ids come from a snapshot; a re-render between the snapshot and the call (the panel and
   * the marks re-render on every state push) invalidates them. Such a call is taken again on a
   * fresh snapshot, a few times, instead of failing the test on a race it does not test.
   */
  private call<T>(selector: string, fn: string): Promise<T> {
    return retryStale(() => this.callOnce<T>(selector, fn));
  }

  private async callOnce<T>(selector: string, fn: string): Promise<T> {
    const [nodeId] = await this.all(selector);
    if (nodeId === undefined) throw new Error(`${this.hostTag}: nothing matches ${selector}`);
    const cdp = await this.session();
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      functionDeclaration: fn,
      returnByValue: true,
    });
    return result.value as T;
  }

  text(selector: string): Promise<string> {
    return this.call<string>(
      selector,
      'function () { return this.innerText ?? this.textContent; }',
    );
  }

  attr(selector: string, name: string): Promise<string | null> {
    return this.call<string | null>(
      selector,
      `function () { return this.getAttribute(${JSON.stringify(name)}); }`,
    );
  }

  /** The element's box in the viewport (getBoundingClientRect). */
  rect(selector: string): Promise<{ left: number; top: number; right: number; bottom: number }> {
    return this.call(
      selector,
      'function () { const r = this.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; }',
    );
  }

  /** A live property (an input's value, a checkbox's checked). */
  prop(selector: string, name: string): Promise<unknown> {
    return this.call<unknown>(selector, `function () { return this[${JSON.stringify(name)}]; }`);
  }

  /** Every text and attribute value inside the root, to look for things that must not be there. */
  html(): Promise<string> {
    return this.call<string>('*', 'function () { return this.getRootNode().innerHTML; }');
  }

  click(selector: string): Promise<void> {
    return retryStale(() => this.clickOnce(selector));
  }

  private async clickOnce(selector: string): Promise<void> {
    const [nodeId] = await this.all(selector);
    if (nodeId === undefined) throw new Error(`${this.hostTag}: nothing matches ${selector}`);
    const cdp = await this.session();
    await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
    const { quads } = await cdp.send('DOM.getContentQuads', { nodeId });
    const q = quads[0];
    if (!q) throw new Error(`${this.hostTag}: ${selector} is not visible`);
    const x = (q[0]! + q[2]! + q[4]! + q[6]!) / 4;
    const y = (q[1]! + q[3]! + q[5]! + q[7]!) / 4;
    await this.page.mouse.click(x, y);
  }

  /** Poll until fn() is true (the panel renders asynchronously). */
  async until(what: string, fn: () => Promise<boolean>, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await fn())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
