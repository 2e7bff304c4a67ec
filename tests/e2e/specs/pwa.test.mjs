// The PWA: manifest and icons, the precache, and an update that waits for the surveyor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, assertSameOrigin, waitForServiceWorker, serviceWorkerFile, HomePage, EditorPage, storedRecord, BASE_URL } from '../lib/app.mjs';

test('the manifest names the app and its icons exist', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    await new HomePage(page).open();
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const url = new URL(href, page.url()).href;
    const manifest = await (await page.request.get(url)).json();
    assert.equal(manifest.name, '入户 · 防返贫监测');
    assert.equal(manifest.short_name, '入户');
    assert.equal(manifest.lang, 'zh-CN');
    assert.equal(manifest.display, 'standalone');
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
    for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.includes(want), want);
    for (const icon of manifest.icons) {
      const res = await page.request.get(new URL(icon.src, url).href);
      assert.equal(res.status(), 200, icon.src);
      assert.equal(res.headers()['content-type'], icon.type, icon.src);
    }
    assertSameOrigin(app.requests);
  } finally {
    await app.close();
  }
});

test('the service worker precaches every file of the build', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    await new HomePage(page).open();
    await waitForServiceWorker(page);
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const out = {};
      for (const k of keys) out[k] = (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname);
      return out;
    });
    const names = Object.keys(cached);
    assert.equal(names.length, 1, `one cache: ${names}`);
    assert.match(names[0], /^ruhu-[0-9a-f]{16}$/);
    const paths = cached[names[0]];
    for (const want of ['/index.html', '/app.html', '/manifest.webmanifest', '/icons/icon-192.png']) assert.ok(paths.includes(want), want);
    // The start page's bundle and the full app's.
    for (const bin of ['ruhu-start', 'ruhu-app']) {
      assert.ok(paths.some((p) => new RegExp(`/${bin}-[0-9a-f]+_bg\\.wasm$`).test(p)), `the ${bin} wasm`);
      assert.ok(paths.some((p) => new RegExp(`/${bin}-[0-9a-f]+\\.js$`).test(p)), `the ${bin} js`);
    }
    assert.ok(paths.some((p) => /\.css$/.test(p)), 'the css');
    assert.ok(!paths.includes('/sw.js'));
    // The township office's page and its own bundle too, so 汇总 works offline.
    assert.ok(paths.includes('/office.html'), 'office.html');
    assert.ok(paths.some((p) => /\/ruhu-office-[0-9a-f]+_bg\.wasm$/.test(p)), 'the office wasm');
    assert.ok(paths.some((p) => /\/ruhu-office-[0-9a-f]+\.js$/.test(p)), 'the office js');

    // The start page loads only its own bundle (the full app and the office's are precached
    // by the worker, not loaded by the page).
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok(loaded.some((p) => /\/ruhu-start-[0-9a-f]+_bg\.wasm$/.test(p)), `the start page's wasm: ${loaded}`);
    assert.ok(!loaded.some((p) => /ruhu-office|ruhu-app/.test(p)), `no other page's file: ${loaded}`);

    // Offline, 汇总 (the office's page) opens from the cache, and 记录 leads back.
    await app.context.setOffline(true);
    await page.getByRole('banner').getByRole('link', { name: '汇总', exact: true }).click();
    await page.waitForURL(/\/office\.html#\/township$/);
    await page.getByRole('heading', { name: '乡镇汇总' }).waitFor();
    await page.getByText('本机还没有入户记录。').waitFor();
    await page.getByRole('banner').getByRole('link', { name: '记录', exact: true }).click();
    await page.waitForURL(new RegExp(`^${BASE_URL}#/$`));
    await new HomePage(page).heading.waitFor();
    // Still offline, 新建入户 opens the full app (app.html) from the cache with a new draft.
    await new HomePage(page).newRecord.click();
    await page.waitForURL(/\/app\.html#\/h\/[0-9a-f-]{36}$/);
    await page.locator('input[name="address.village"]').waitFor();
    await app.context.setOffline(false);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('a new version waits, the page offers it, and the button switches after saving', { timeout: 120_000 }, async () => {
  const sw = serviceWorkerFile();
  const app = await launch();
  try {
    const { page } = app;
    const home = new HomePage(page);
    await home.open();
    await waitForServiceWorker(page);
    const before = await page.evaluate(async () => (await caches.keys()).join());

    // Mid-form: a record open, a change typed.
    await home.newRecord.click();
    await page.waitForURL(/#\/h\//);
    const editor = new EditorPage(page);
    const id = editor.id();
    await editor.village.fill('新版本前');

    // A new build appears on the server.
    await sw.publish(page);

    // It installs and waits; the page is not reloaded under the surveyor's hands.
    const prompt = page.getByRole('alert').filter({ hasText: '新版本可用' });
    await prompt.waitFor({ timeout: 30_000 });
    // It sits above the editor's risk bar, not over the verdict.
    const shown = await prompt.boundingBox();
    const bar = await page.locator('.risk-bar').boundingBox();
    assert.ok(shown.y + shown.height <= bar.y, `prompt ${JSON.stringify(shown)} over the risk bar ${JSON.stringify(bar)}`);
    assert.equal(await editor.village.inputValue(), '新版本前');
    assert.equal(await page.evaluate(async () => (await caches.keys()).join()), [before, before + 'next'].join(), 'both caches while waiting');
    assert.ok(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()).waiting));

    // The button: the pending change is saved, the new worker takes over, the page reloads.
    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), prompt.getByRole('button', { name: '更新' }).click()]);
    await editor.village.waitFor();
    assert.equal(await editor.village.inputValue(), '新版本前');
    assert.equal((await storedRecord(page, id)).address.village, '新版本前');
    assert.equal(await page.evaluate(async () => (await caches.keys()).join()), before + 'next', 'the old cache is gone');
    assert.equal(await page.getByText('新版本可用').count(), 0);
    assertSameOrigin(app.requests);
  } finally {
    sw.restore();
    await app.close();
  }
});
