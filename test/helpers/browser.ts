// Headless Chromium for the console's tests: Debian's `chromium` (or STRATUSDB_CHROMIUM) driven by
// playwright-core — browsers cannot be downloaded here — and axe-core's accessibility check run in
// the page. Without a Chromium the tests are skipped with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { localOnly } from './server-process.js';

const candidates = [process.env['STRATUSDB_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string | undefined {
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** Why the browser tests cannot run here, or false. */
export function browserMissing(): string | false {
  if (localOnly.skip !== false) return localOnly.skip;
  if (chromiumPath() === undefined) return 'no Chromium found (apt-get install chromium, or set STRATUSDB_CHROMIUM): the console\'s browser tests are skipped';
  return false;
}

export interface ConsoleBrowser {
  readonly browser: Browser;
  /** A new page at 1280×720 whose uncaught errors are collected. */
  page(): Promise<Page>;
  /** Uncaught errors of every page so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<ConsoleBrowser> {
  const path = chromiumPath();
  if (path === undefined) throw new Error('no Chromium');
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async page() {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      page.on('pageerror', (error) => errors.push(error.message));
      return page;
    },
    close: () => browser.close(),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeWindow {
  readonly document: unknown;
  readonly axe: { run(context: unknown, options: object): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> };
}

export interface Violation {
  readonly id: string;
  readonly targets: readonly string[];
}

/** axe-core's WCAG 2.1 A and AA rules on the page as it is now: the violations, by rule and element. */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol: the console's Content-Security-Policy allows no inline script.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as AxeWindow;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}
