// The app shell on a 360 px phone: create a record, type, reload, find it; offline; no
// request leaves the origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, assertSameOrigin, waitForServiceWorker, HomePage, EditorPage, storedRecord, smallTargets, cutOffInputs, BASE_URL } from '../lib/app.mjs';

test('create a record, type a village, reload, find it; then offline', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page, context } = app;
    const home = new HomePage(page);
    await home.open();
    assert.equal(await page.title(), '入户 · 防返贫监测');

    await home.newRecord.click();
    await page.waitForURL(/#\/h\/[0-9a-f-]{36}$/);
    const editor = new EditorPage(page);
    const id = editor.id();
    await editor.village.fill('西瓦尔图村');
    await editor.waitSaved();
    await editor.title.filter({ hasText: '西瓦尔图村' }).waitFor();

    // Saved to IndexedDB as the core record, with the revision bumped once per save.
    const stored = await storedRecord(page, id);
    assert.equal(stored.format, 'ruhu.household/1');
    assert.equal(stored.address.village, '西瓦尔图村');
    assert.equal(stored.address.township, '额尔和乡');
    assert.ok(stored.revision >= 2, `revision ${stored.revision}`);
    assert.match(stored.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);

    // Reload the editor: the village is still there.
    await page.reload();
    await editor.village.waitFor();
    assert.equal(await editor.village.inputValue(), '西瓦尔图村');

    // Home lists it; the link opens it.
    await home.open();
    await home.record('西瓦尔图村').click();
    await page.waitForURL(new RegExp(`#/h/${id}$`));
    assert.equal(await editor.village.inputValue(), '西瓦尔图村');

    // Offline: the service worker serves the app and IndexedDB the record.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.reload();
    await editor.village.waitFor();
    assert.equal(await editor.village.inputValue(), '西瓦尔图村');
    await page.goto(BASE_URL + '#/');
    await home.heading.waitFor();
    await home.record('西瓦尔图村').waitFor();
    // An editor URL opened directly while offline.
    await page.goto(`${BASE_URL}#/h/${id}`);
    assert.equal(await editor.village.inputValue(), '西瓦尔图村');
    await context.setOffline(false);

    assert.deepEqual(app.errors, []);
    assertSameOrigin(app.requests);
    assert.ok(app.requests.some((u) => u.endsWith('.wasm')), 'the request log saw the app load');
  } finally {
    await app.close();
  }
});

test('a pending change is saved when the editor closes', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    const home = new HomePage(page);
    await home.open();
    await home.newRecord.click();
    await page.waitForURL(/#\/h\//);
    const editor = new EditorPage(page);
    const id = editor.id();
    await editor.village.fill('额尔和村');
    // Navigate away at once (设置 in the top bar): closing the editor flushes the pending change.
    await page.getByRole('banner').getByRole('link', { name: '设置', exact: true }).click();
    await page.getByRole('heading', { name: '设置' }).waitFor();
    const deadline = Date.now() + 5000;
    let stored = null;
    while (Date.now() < deadline && stored?.address?.village !== '额尔和村') {
      stored = await storedRecord(page, id);
      if (stored?.address?.village !== '额尔和村') await page.waitForTimeout(50);
    }
    assert.equal(stored?.address?.village, '额尔和村', 'the pending change was flushed');
    assert.equal(stored.revision, 2, 'one change, one save');
    assertSameOrigin(app.requests);
  } finally {
    await app.close();
  }
});

test('a pending change is saved at once when the page is hidden', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    const home = new HomePage(page);
    await home.open();
    await home.newRecord.click();
    await page.waitForURL(/#\/h\//);
    const editor = new EditorPage(page);
    const id = editor.id();
    await editor.waitSaved();
    await editor.village.fill('隐藏前');
    const typed = Date.now();
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await page.waitForTimeout(120);
    const stored = await storedRecord(page, id);
    const elapsed = Date.now() - typed;
    // The debounce is 300 ms: a save seen before then came from the flush.
    if (elapsed < 290) assert.equal(stored.address.village, '隐藏前', `not saved ${elapsed} ms after hiding`);
    await editor.waitSaved();
    assert.equal((await storedRecord(page, id)).revision, 2);
  } finally {
    await app.close();
  }
});

test('the layout fits a 360 px screen and touch targets are large', { timeout: 120_000 }, async () => {
  const app = await launch();
  try {
    const { page } = app;
    const home = new HomePage(page);
    await home.open();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    const box = await home.newRecord.boundingBox();
    assert.ok(box.height >= 48, `新建入户 is ${box.height}px tall`);
    // Every control of home (filter chips, the status picker) is at least 44 px tall.
    assert.deepEqual(await smallTargets(page), [], 'home: controls under 44 px');
    // The editor: the default 旗 (莫力达瓦达斡尔族自治旗) shows whole, and its bar's links are thumb-sized.
    await home.newRecord.click();
    await page.waitForURL(/#\/h\/[0-9a-f-]{36}$/);
    const editor = new EditorPage(page);
    await editor.village.waitFor();
    assert.equal(await page.locator('input[name="address.banner"]').inputValue(), '莫力达瓦达斡尔族自治旗');
    assert.deepEqual(await cutOffInputs(page), [], 'editor: text cut off in its field');
    assert.deepEqual(await smallTargets(page), [], 'editor: controls under 44 px');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `editor: horizontal overflow ${wide}px`);
    // No web fonts, no stylesheet or script from elsewhere.
    const fonts = await page.evaluate(() => [...document.fonts].map((f) => f.family));
    assert.deepEqual(fonts, []);
    assertSameOrigin(app.requests);
  } finally {
    await app.close();
  }
});
