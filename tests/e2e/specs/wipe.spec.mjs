// 设置 › 清除本机数据 (issue 14, part 9; src/ui/settings/wipe.rs): a phone with records,
// settings and a second tab open is wiped. First it lists the households the township has not
// received (the home list's 未送达乡镇 N 户, the same rule) and exports them on request; then
// every IndexedDB database, localStorage and sessionStorage of the origin hold nothing of the
// records (no name, ID number or phone anywhere, no record, no history, no marks), the
// settings and the device id are gone, the other tab reloaded into the empty app, and the app
// itself is kept: the service worker and its cache, so the emptied app opens offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, waitForServiceWorker, BASE_URL } from '../lib/app.mjs';
import { importFiles, createHousehold, FIXTURES } from '../fixtures/records/harness.mjs';

const BATCH = join(FIXTURES, 'batch-2023q1.json');
const RECORDS = JSON.parse(readFileSync(BATCH, 'utf8')).records;
const APP = new URL('app.html', BASE_URL).href;
/** What must not survive: every member's name and ID number, every phone. */
const PEOPLE = [
  ...new Set(RECORDS.flatMap((r) => [r.phone, ...r.members.flatMap((m) => [m.name, m.id_number])]).filter(Boolean)),
];

/** Everything the page can read of its origin's storage: each IndexedDB database's stores as
 * `[key, value as text]`, localStorage, sessionStorage, the caches (entry counts) and whether a
 * service worker is registered. */
async function storage(page) {
  return page.evaluate(async () => {
    const text = (v) =>
      JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? new TextDecoder().decode(x) : x instanceof ArrayBuffer ? new TextDecoder().decode(new Uint8Array(x)) : x));
    const dbs = {};
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const stores = {};
      for (const s of db.objectStoreNames) {
        stores[s] = await new Promise((resolve, reject) => {
          const tx = db.transaction(s);
          const keys = tx.objectStore(s).getAllKeys();
          const values = tx.objectStore(s).getAll();
          tx.oncomplete = () => resolve(keys.result.map((k, i) => [text(k), text(values.result[i])]));
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
      dbs[name] = stores;
    }
    const all = (s) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
    const cached = {};
    for (const k of await caches.keys()) cached[k] = (await (await caches.open(k)).keys()).length;
    return {
      dbs,
      local: all(localStorage),
      session: all(sessionStorage),
      caches: cached,
      worker: !!(await navigator.serviceWorker.getRegistration()),
    };
  });
}

/** The people's data found in `s` (any value or key of any storage), as `where: text`. */
function leaks(s) {
  const found = [];
  const look = (where, t) => {
    for (const p of PEOPLE) if (String(t).includes(p)) found.push(`${where}: ${p}`);
  };
  for (const [db, stores] of Object.entries(s.dbs))
    for (const [store, rows] of Object.entries(stores)) for (const [k, v] of rows) look(`${db}/${store}/${k}`, k + v);
  for (const [k, v] of Object.entries(s.local)) look(`localStorage ${k}`, k + v);
  for (const [k, v] of Object.entries(s.session)) look(`sessionStorage ${k}`, k + v);
  return found;
}

test('清除本机数据: lists what the township has not received, exports it, then leaves no data but the app', { timeout: 240_000 }, async () => {
  const app = await launch();
  try {
    const { page, context } = app;
    await page.goto(BASE_URL);
    await waitForServiceWorker(page);

    // A phone in use: settings, records imported, a second tab with the list open.
    await page.goto(`${APP}#/settings`);
    await page.locator('input[name=surveyor]').fill('王交接');
    await page.locator('input[name=surveyor]').press('Tab');
    await page.goto(`${APP}#/`);
    assert.match(await importFiles(page, [{ path: BATCH }]), /^新增 6 /);
    // One household typed on this phone (its saves make the device id).
    await createHousehold(page, '交接村');
    await page.getByTestId('not-received').waitFor();
    const notReceived = Number(await page.getByTestId('not-received').getAttribute('data-count'));
    assert.equal(notReceived, 7, 'the home list: 未送达乡镇 7 户');
    const other = await context.newPage();
    await other.goto(`${APP}#/`);
    await other.getByTestId('list-count').waitFor();
    await other.evaluate(() => sessionStorage.setItem('ruhu-test-session', '张伟'));
    await page.evaluate(() => sessionStorage.setItem('ruhu-test-session', '张伟'));

    const before = await storage(page);
    assert.ok(leaks(before).length > 0, 'the records are in storage before the wipe');
    const device = before.local['ruhu-device'];
    assert.match(device, /^[0-9a-f]{32}$/);

    // 设置 › 清除本机数据: the button waits for the confirmation.
    await page.goto(`${APP}#/settings`);
    const card = page.locator('section.wipe');
    const start = card.getByRole('button', { name: '清除本机数据' });
    assert.equal(await start.isDisabled(), true, 'nothing typed');
    await card.getByLabel('请输入“清除”确认').fill('清');
    assert.equal(await start.isDisabled(), true, 'not the word');
    await card.getByLabel('请输入“清除”确认').fill('清除');
    await start.click();

    // What the township has not received: the same count as the home list, every household.
    const unsent = card.getByTestId('wipe-unsent');
    await unsent.waitFor();
    assert.equal(Number(await unsent.getAttribute('data-count')), notReceived);
    assert.match(await unsent.textContent(), /乡镇尚未收到以下 7 户（7 条记录）/);
    const listed = await card.locator('.wipe-list li').allTextContents();
    assert.equal(listed.length, 7);
    assert.ok(listed.some((l) => l.startsWith('交接村 · ')), listed.join(' / '));
    assert.ok(listed.some((l) => l.includes('额尔和村 · 张伟')), listed.join(' / '));

    // 先导出这些记录: the ordinary export of those records.
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: '先导出这些记录' }).click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.format, 'ruhu.export/1');
    assert.equal(exported.records.length, 7);
    for (const r of RECORDS) assert.ok(exported.records.some((e) => e.id === r.id), r.id);
    await card.locator('.export-result').waitFor();

    // 确定清除: the page goes to the emptied start page; the other tab reloads into it too.
    const otherReloaded = other.waitForEvent('load', { timeout: 30_000 });
    await Promise.all([page.waitForURL(new RegExp(`^${BASE_URL}(index\\.html)?$`), { timeout: 30_000 }), card.getByRole('button', { name: '确定清除' }).click()]);
    await page.getByText('还没有记录。').waitFor();
    await otherReloaded;
    await other.getByText('还没有记录。').waitFor();
    assert.equal(await other.evaluate(() => sessionStorage.getItem('ruhu-test-session')), null, "the other tab's sessionStorage");

    const after = await storage(page);
    assert.deepEqual(leaks(after), [], 'no name, ID number or phone anywhere');
    for (const [db, stores] of Object.entries(after.dbs)) {
      for (const s of ['records', 'history']) assert.deepEqual(stores[s] ?? [], [], `${db}/${s} is empty`);
      // Only the app's own keys (`~…`: the generation, the empty list's snapshot), no marks.
      const marks = (stores.meta ?? []).map(([k]) => JSON.parse(k)).filter((k) => !String(k).startsWith('~'));
      assert.deepEqual(marks, [], `${db}/meta has no record's marks`);
    }
    assert.equal(after.session['ruhu-test-session'], undefined, 'sessionStorage cleared');
    assert.notEqual(after.local['ruhu-device'], device, 'a new device id');
    assert.ok(!JSON.stringify(after.local).includes('王交接'), 'the settings are gone');
    assert.ok(!Object.keys(after.local).some((k) => k.startsWith('ruhu-journal:')), 'no journal');
    // The app is kept: its worker and its cache.
    assert.equal(after.worker, true, 'the service worker is still registered');
    assert.deepEqual(Object.keys(after.caches), Object.keys(before.caches), 'the same cache');
    assert.ok(Object.values(after.caches)[0] > 10, 'the cache still holds the build');

    // Offline, the emptied app still opens: the start page, and the full app's settings.
    await context.setOffline(true);
    await page.reload();
    await page.getByText('还没有记录。').waitFor();
    await page.goto(`${APP}#/settings`);
    await page.locator('section.wipe').waitFor();
    assert.equal(await page.locator('input[name=surveyor]').inputValue(), '');
    await context.setOffline(false);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
