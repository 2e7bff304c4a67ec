// Shared helpers for the e2e specs: launch Debian's Chromium as a 360×740 phone, log every
// request, and page objects for the app's pages. Specs run with `./x.sh e2e`, which serves
// a copy of dist/ at BASE_URL (its folder is E2E_ROOT, which a spec may change).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET } from './chromium-flags.mjs';
import { watchCsp } from './csp.mjs';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
export const E2E_ROOT = process.env.E2E_ROOT || '';
export const ORIGIN = new URL(BASE_URL).origin;


/** A browser, a phone-sized context with a request log, and a page. Call `close()` after. */
export async function launch({ viewport = { width: 360, height: 740 } } = {}) {
  // Every context records CSP violations; a test with one fails (lib/csp.mjs).
  const browser = watchCsp(await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: QUIET }));
  const context = await browser.newContext({
    viewport,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'allow',
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const errors = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    browser,
    context,
    page,
    requests,
    errors,
    close: () => browser.close(),
  };
}

/** Every logged http(s) request went to the app's own origin. */
export function assertSameOrigin(requests) {
  const foreign = requests.filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== ORIGIN);
  assert.deepEqual(foreign, [], 'requests left the origin');
}

/** Waits until the service worker controls the page (it claims clients on first install). */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, {
    timeout: 30_000,
  });
}

/**
 * The served sw.js, to put a new version of the app on the server mid-test: `publish(page)`
 * changes its VERSION (as a new build does) and asks the page's registration to check for an
 * update; `restore()` (in a `finally`) puts the served file back.
 */
export function serviceWorkerFile() {
  assert.ok(E2E_ROOT, 'E2E_ROOT (the served folder) is set by ./x.sh e2e');
  const path = join(E2E_ROOT, 'sw.js');
  const original = readFileSync(path, 'utf8');
  return {
    async publish(page) {
      const next = original.replace(/^const VERSION = '([0-9a-f]+)';/m, "const VERSION = '$1next';");
      assert.notEqual(next, original, 'sw.js has a VERSION line');
      writeFileSync(path, next);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    },
    restore() {
      writeFileSync(path, original);
    },
  };
}

/** The home page (`#/`). */
export class HomePage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: '入户排查' });
    this.newRecord = page.getByRole('button', { name: '新建入户' });
    this.records = page.locator('ul.records a');
  }
  async open() {
    await this.page.goto(BASE_URL);
    await this.heading.waitFor();
  }
  /** The link of a stored record whose text contains `text`. */
  record(text) {
    return this.records.filter({ hasText: text });
  }
}

/** The editor (`#/h/:id`). Form inputs are named by their record path. */
export class EditorPage {
  constructor(page) {
    this.page = page;
    this.title = page.locator('h1.editor-title');
    this.village = page.locator('input[name="address.village"]');
    this.status = page.locator('.save-status');
  }
  async waitSaved() {
    await this.page.locator('.save-status[data-save-state="saved"]').waitFor();
  }
  /** The record id in the URL. */
  id() {
    const m = /#\/h\/([0-9a-f-]{36})/.exec(this.page.url());
    assert.ok(m, `not an editor URL: ${this.page.url()}`);
    return m[1];
  }
}

/** The record as stored in IndexedDB (`ruhu` / `records`), read in the page; null if absent. */
export async function storedRecord(page, id) {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ruhu');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const req = db.transaction('records').objectStore('records').get(id);
            req.onerror = () => reject(req.error);
            req.onsuccess = () => {
              try {
                const v = req.result;
                if (!v) return resolve(null);
                resolve(JSON.parse(typeof v.json === 'string' ? v.json : new TextDecoder().decode(v.json)));
              } catch (e) {
                reject(e);
              } finally {
                db.close();
              }
            };
          } catch (e) {
            db.close();
            reject(e);
          }
        };
      }),
    id
  );
}

/** The controls a thumb taps (buttons, button-like links and labels, selects, chips, tabs,
 * back links) that are shown but under 44 px tall, as `tag "text" h=…` (none expected).
 * Links inside running text are left out (as WCAG 2.5.8 does), and so is the paper form. */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const sel = 'button, .button, select, input[type=search], label.chip, .tabs a, .subtabs a, a.back, a.household-link, a.visits-link, a.record-link, .seg-btn, .check-chip';
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      if (el.closest('.paper, .visually-hidden, #boot')) continue;
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (b.height < 43.5) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" h=${b.height.toFixed(1)}`);
    }
    return out;
  });
}

/** Text inputs whose value is wider than the box (cut off on screen), as `name: value`. */
export async function cutOffInputs(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input[type=text], input:not([type])')]
      .filter((i) => i.getBoundingClientRect().width > 0 && i.value && i.scrollWidth > i.clientWidth + 1)
      .map((i) => `${i.name}: ${i.value}`)
  );
}
