// The start page (index.html, bin ruhu-start): the home list from the snapshot the full app
// (app.html) kept, shown only while nothing it depends on has changed; otherwise the full app.
// Its rows must be the full app's rows; any write, a changed policy or a new day sends it to
// the full app; a row, 新建入户 and 返回 move between the pages like links within one app.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, phone, importFiles, rows, waitSaved, FIXTURES, BASE_URL,
} from '../fixtures/records/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const APP = new URL('app.html', BASE_URL).href;
const BATCH = 'batch-2023q1.json';

/** Waits until the full app's home has kept its list as the snapshot. */
async function snapshotKept(page) {
  await page.locator('section.home[data-snapshot="kept"]').waitFor();
}

/** Opens the start page and waits for its list (or for the full app's, if it handed over). */
async function openStart(page) {
  await page.goto(BASE_URL);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  await page.getByTestId('list-count').waitFor();
}

/** The bundles the page requested (start / app / office). */
function bundles(requests) {
  return [...new Set(requests.map((u) => /\/(ruhu-(?:start|app|office))-[0-9a-f]+_bg\.wasm$/.exec(u)?.[1]).filter(Boolean))];
}

test('the start page shows the list the full app computed, from its snapshot, and only its own bundle', async () => {
  const { context, page } = await phone(browser);
  const text = readFileSync(join(FIXTURES, BATCH), 'utf8');
  // The import runs in the full app (the start page keeps the picked file and hands over).
  const summary = await importFiles(page, [{ name: BATCH, text }]);
  assert.match(summary, /^新增 \d+/);
  assert.equal(page.url(), `${APP}#/`);
  await snapshotKept(page);
  const full = await rows(page);
  const fullCount = await page.getByTestId('list-count').textContent();
  assert.ok(full.length >= 5, `the batch lists its households: ${full.length}`);

  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await openStart(page);
  assert.equal(page.url(), BASE_URL, 'the start page stayed');
  assert.deepEqual(bundles(requests), ['ruhu-start']);
  assert.deepEqual(await rows(page), full, 'the same rows: households, records, villages, tags, export marks');
  assert.equal(await page.getByTestId('list-count').textContent(), fullCount);

  // Search and filters work on the snapshot.
  const head = full[0].title.replace(/（.*$/, '');
  await page.getByRole('searchbox').fill(head);
  const found = await rows(page);
  assert.ok(found.length >= 1 && found.every((r) => r.title.startsWith(head)), JSON.stringify(found));
  assert.match(await page.getByTestId('list-count').textContent(), /符合条件/);
  await page.getByRole('searchbox').fill('');
  await page.locator('label.chip', { hasText: '有风险' }).click();
  const risky = await rows(page);
  assert.deepEqual(risky, full.filter((r) => r.tags.some((t) => t.startsWith('有风险'))));
  assert.deepEqual(bundles(requests), ['ruhu-start'], 'still nothing of the full app');

  // A row opens the record in the full app; 返回 goes to the full app's list, not the start page.
  await page.locator('label.chip', { hasText: '有风险' }).click();
  const row = full[1];
  await page.locator(`li.entry[data-household="${row.household}"] a.record-link`).click();
  await page.waitForURL(`${APP}#/h/${row.record}`);
  await page.locator('input[name="address.village"]').waitFor();
  await page.goBack();
  await page.waitForURL(`${APP}#/`);
  await page.getByTestId('list-count').waitFor();
  assert.deepEqual(await rows(page), full);
  await context.close();
});

test('a write, a changed policy or a new build sends the start page to the full app', async () => {
  const { context, page } = await phone(browser);
  const text = readFileSync(join(FIXTURES, BATCH), 'utf8');
  await importFiles(page, [{ name: BATCH, text }]);
  await snapshotKept(page);
  const before = await rows(page);

  // An edit, then straight to the start page (the full app's list was not shown since):
  // the snapshot no longer holds, so the full app shows the list, with the edit.
  const row = before.find((r) => r.tags.includes('草稿'));
  assert.ok(row, 'the batch has a draft');
  await page.goto(`${APP}#/h/${row.record}`);
  await page.getByLabel('村', { exact: true }).fill('新改的村');
  await waitSaved(page);
  await page.goto(BASE_URL);
  await page.waitForURL(`${APP}#/`);
  await page.getByTestId('list-count').waitFor();
  const edited = await rows(page);
  assert.equal(edited.find((r) => r.household === row.household).village, '新改的村');
  // That list is the new snapshot: the start page shows it again.
  await snapshotKept(page);
  await openStart(page);
  assert.equal(page.url(), BASE_URL);
  assert.deepEqual(await rows(page), edited);

  // A new monitoring line (the verdicts may change): the full app again.
  await page.goto(`${APP}#/settings`);
  const line = page.locator('input[name="monitoring-line"]');
  await line.fill('9999');
  await line.press('Tab');
  await page.goto(BASE_URL);
  await page.waitForURL(`${APP}#/`);
  await snapshotKept(page);

  // A snapshot stamped by another build (the rules may differ) is not shown either.
  await openStart(page);
  assert.equal(page.url(), BASE_URL);
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('ruhu');
    open.onsuccess = () => {
      const tx = open.result.transaction('meta', 'readwrite');
      const store = tx.objectStore('meta');
      const get = store.get('~list-stamp');
      get.onsuccess = () => store.put(get.result.replace(/^(list\/\d+)\|[^|]*\|/, '$1|an-older-build|'), '~list-stamp');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }));
  await page.goto(BASE_URL);
  await page.waitForURL(`${APP}#/`);
  await page.getByTestId('list-count').waitFor();
  await context.close();
});

test('新建入户 on the start page opens a new draft in the full app; 返回 goes to its list', async () => {
  const { context, page } = await phone(browser);
  await page.getByText('还没有记录。').waitFor();
  await page.getByRole('button', { name: '新建入户' }).click();
  await page.waitForURL(new RegExp(`^${APP.replace(/[.]/g, '\\.')}#/h/[0-9a-f-]{36}$`));
  await page.getByLabel('村', { exact: true }).fill('额尔和村');
  await waitSaved(page);
  await page.goBack();
  await page.waitForURL(`${APP}#/`);
  await page.getByTestId('list-count').waitFor();
  const listed = await rows(page);
  assert.equal(listed.length, 1, 'one draft, not a second one from #/new');
  assert.equal(listed[0].village, '额尔和村');
  await context.close();
});
