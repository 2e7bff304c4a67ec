// The strict page (issue 14, part 7): every page of the build carries the same
// Content-Security-Policy <meta> (public/*.html) and no inline script, style attribute or
// inline handler (x.sh precache moves Trunk's inline loader into a file); each page runs
// under it without a violation (lib/csp.mjs fails any test that has one), with its service
// worker; and the watcher itself sees a violation when one happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForServiceWorker, BASE_URL } from '../lib/app.mjs';
import { violations } from '../lib/csp.mjs';

const PAGES = ['index.html', 'app.html', 'office.html', 'roster.html'];
const POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'blob:', 'data:'],
};

test('every page has the policy and nothing inline', { timeout: 60_000 }, async () => {
  for (const name of PAGES) {
    const html = await (await fetch(new URL(name, BASE_URL))).text();
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/g)];
    assert.equal(metas.length, 1, `${name}: one CSP meta`);
    const policy = Object.fromEntries(
      metas[0][1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(policy, POLICY, name);
    // The policy comes before anything it governs.
    assert.ok(html.indexOf('Content-Security-Policy') < html.search(/<(script|link)\b/), `${name}: the policy first`);
    assert.deepEqual([...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>/g)].map((m) => m[0]), [], `${name}: inline scripts`);
    assert.doesNotMatch(html, /<[^>]+\s(style|on[a-z]+)\s*=/, `${name}: style attributes or inline handlers`);
    // The loader Trunk wrote inline is a file of its own now.
    const loader = /<script type="module" src="\.\/(inline-[0-9a-f]{16}\.js)"><\/script>/.exec(html);
    assert.ok(loader, `${name}: the wasm loader is external`);
    const js = await (await fetch(new URL(loader[1], BASE_URL))).text();
    assert.match(js, /^\s*import init/, `${name}: ${loader[1]} starts the wasm`);
  }
});

test('every page runs under the policy, with its service worker', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    await page.goto(BASE_URL);
    await waitForServiceWorker(page);
    for (const [name, heading] of [['index.html', '入户排查'], ['app.html#/settings', '设置'], ['office.html', '乡镇汇总'], ['roster.html', '花名册核对']]) {
      await page.goto(new URL(name, BASE_URL).href);
      await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), `${name}: controlled by the worker`);
    }
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the watcher sees what the policy blocks', { timeout: 60_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    await page.goto(BASE_URL);
    await page.getByRole('heading', { level: 1, name: '入户排查' }).waitFor();
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { color: red; }';
      document.head.appendChild(style);
      const script = document.createElement('script');
      script.textContent = 'window.ran = true;';
      document.head.appendChild(script);
      document.body.setAttribute('style', 'color: red');
    });
    await page.waitForFunction(() => true);
    await new Promise((r) => setTimeout(r, 300));
    const seen = violations.splice(0).map((v) => v.directive).sort();
    assert.deepEqual(seen, ['script-src-elem', 'style-src-attr', 'style-src-elem']);
    assert.equal(await page.evaluate(() => window.ran), undefined, 'the inline script did not run');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(255, 0, 0)');
  } finally {
    await app.close();
  }
});
