// The app lock and encryption at rest (issue 14): set the lock in 设置 › 应用锁 (a PIN too
// short refused in Chinese), import the six-household batch, reload: the lock screen shows
// nothing of the records; a wrong PIN gives a growing wait that survives a reload; unlock;
// the office and the roster page open without asking again; then EVERY IndexedDB database,
// store and value, localStorage, sessionStorage and Cache Storage is read and no name, ID
// number or phone of the imported records is found in plain text; 5 minutes in the
// background lock the page; last, the lock is removed and the records are all there, plain.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, BASE_URL, assertSameOrigin, waitForServiceWorker } from '../lib/app.mjs';
import { FIXTURES, importFiles } from '../fixtures/records/harness.mjs';

const PIN = '864209';
const batch = JSON.parse(readFileSync(join(FIXTURES, 'batch-2023q1.json'), 'utf8'));
// What must never be found in plain text: every member's name and ID number, every phone,
// and the surveyor's name set in 设置.
const SURVEYOR = '赵秀云';
const needles = [SURVEYOR];
for (const r of batch.records) {
  if (r.phone) needles.push(r.phone);
  for (const m of r.members) needles.push(m.name, m.id_number);
}

let app;
before(async () => { app = await launch(); });
after(async () => { await app?.close(); });

/** Every value of every store of every IndexedDB database, localStorage, sessionStorage and
 * Cache Storage, as text (bytes decoded as UTF-8, files read): `[[where, text]]`. */
async function everythingStored(page) {
  return page.evaluate(async () => {
    const out = [];
    const seen = new Set();
    const text = async (v, depth = 0) => {
      if (v === null || v === undefined) return String(v);
      if (depth > 20) return '';
      if (typeof v === 'string') return v;
      if (typeof v !== 'object') return String(v);
      if (seen.has(v)) return '';
      seen.add(v);
      if (v instanceof Blob) return (await v.text()) + ` [${v.name || 'blob'}]`;
      if (ArrayBuffer.isView(v)) return new TextDecoder('utf-8').decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      if (v instanceof ArrayBuffer) return new TextDecoder('utf-8').decode(new Uint8Array(v));
      if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) return `[CryptoKey extractable=${v.extractable}]`;
      const parts = [];
      for (const [k, x] of Object.entries(v)) parts.push(`${k}=${await text(x, depth + 1)}`);
      return parts.join(' ');
    };
    const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const { name } of await indexedDB.databases()) {
      const db = await req(indexedDB.open(name));
      for (const storeName of db.objectStoreNames) {
        const store = db.transaction(storeName).objectStore(storeName);
        const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
        for (let i = 0; i < keys.length; i++) {
          out.push([`idb ${name}/${storeName}/${keys[i]}`, `${keys[i]} ${await text(values[i])}`]);
        }
      }
      db.close();
    }
    for (const [where, s] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < s.length; i++) out.push([`${where} ${s.key(i)}`, `${s.key(i)} ${s.getItem(s.key(i))}`]);
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const r of await cache.keys()) {
        const body = await (await cache.match(r)).text();
        out.push([`cache ${name} ${r.url}`, `${r.url} ${body}`]);
      }
    }
    return out;
  });
}

/** The stored places that hold one of `needles` in plain text. */
function plainHits(stored) {
  const hits = [];
  for (const [where, text] of stored) {
    for (const n of needles) if (text.includes(n) || text.includes(n.toLowerCase())) hits.push(`${where}: ${n}`);
  }
  return hits;
}

const lockScreen = (page) => page.getByRole('heading', { name: '应用已上锁' });

async function unlock(page, pin) {
  await page.getByLabel('密码', { exact: true }).fill(pin);
  await page.getByRole('button', { name: '解锁' }).click();
}

test('the app lock: set, lock screen, wrong PIN wait, pages, nothing plain, background, removed', async () => {
  let { page } = app;
  const { requests, errors } = app;
  await page.goto(new URL('app.html#/settings', BASE_URL).href);
  await waitForServiceWorker(page);
  await page.getByRole('heading', { name: '设置', exact: true }).waitFor();
  const surveyor = page.locator('input[name="surveyor"]');
  await surveyor.fill(SURVEYOR);
  await surveyor.blur();

  // Import the batch (plain, before the lock: the pass must seal it).
  await page.goto(new URL('app.html#/', BASE_URL).href);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  const summary = await importFiles(page, [{ name: 'batch.json', path: join(FIXTURES, 'batch-2023q1.json') }]);
  assert.match(summary, /^新增 6 /);
  await page.locator('section.home[data-snapshot="kept"]').waitFor();
  const plainBefore = plainHits(await everythingStored(page));
  assert.ok(plainBefore.length > needles.length, 'before the lock the records are plain (the check finds them)');

  // 设置 › 应用锁: a PIN too short is refused in Chinese; then set it.
  await page.goto(new URL('app.html#/settings', BASE_URL).href);
  const section = page.getByTestId('app-lock');
  await section.getByText('未送达乡镇 6 户').waitFor();
  await section.getByLabel('新密码', { exact: true }).fill('12345');
  await section.getByLabel('确认新密码', { exact: true }).fill('12345');
  await section.getByRole('button', { name: '开启应用锁' }).click();
  await section.getByRole('alert').filter({ hasText: '数字密码至少要 6 位' }).waitFor();
  await section.getByLabel('新密码', { exact: true }).fill(PIN);
  await section.getByLabel('确认新密码', { exact: true }).fill(PIN);
  await section.getByRole('button', { name: '开启应用锁' }).click();
  await section.getByRole('alertdialog').getByText('未送达乡镇 6 户').waitFor();
  // A second tab, open on the list while the lock is turned on here: it must not go on
  // writing plain values; it reloads to the lock screen.
  const other = await app.context.newPage();
  await other.goto(new URL('app.html#/', BASE_URL).href);
  await other.locator('li.entry').first().waitFor();
  const t0 = Date.now();
  await section.getByRole('button', { name: '确定' }).click();
  await section.getByText('应用锁已开启：本机保存的记录').waitFor({ timeout: 60_000 });
  await lockScreen(other).waitFor();
  assert.equal(await other.locator('li.entry').count(), 0, 'the other tab shows nothing of the records');
  await other.close();
  console.log(`ruhu-bench lock turn_on_ms=${Date.now() - t0} (6 households: derive + seal pass)`);

  // An edit after the lock: the journal is sealed too.
  await page.goto(new URL('app.html#/', BASE_URL).href);
  await page.locator('li.entry').first().waitFor();
  const lock = JSON.parse(await page.evaluate(() => localStorage.getItem('ruhu.lock')));
  assert.equal(lock.iterations, 600000);
  assert.equal(lock.pass, undefined, 'the pass finished');

  // The app opened again (a new tab: no session) at the start page: handed over to the full
  // app, which shows only the lock screen.
  page = await app.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(BASE_URL);
  await lockScreen(page).waitFor();
  assert.match(page.url(), /app\.html/);
  const shown = await page.evaluate(() => document.body.innerText);
  for (const n of needles) assert.ok(!shown.includes(n), `the lock screen shows nothing of the records (${n})`);
  assert.equal(await page.locator('li.entry').count(), 0);

  // Wrong PINs: 1 s, 2 s, 4 s, then 8 s to wait; the wait survives a reload.
  const wrong = ['000000', '111111', '222222', '333333'];
  for (let i = 0; i < wrong.length; i++) {
    await page.getByRole('button', { name: '解锁' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="lock-wait"]'), null, { timeout: 10_000 });
    await unlock(page, wrong[i]);
    await page.getByRole('alert').filter({ hasText: `已错 ${i + 1} 次` }).waitFor();
  }
  assert.ok(await page.getByRole('button', { name: '解锁' }).isDisabled(), '解锁 waits');
  await page.reload();
  await lockScreen(page).waitFor();
  await page.getByTestId('lock-wait').waitFor();
  assert.ok(await page.getByRole('button', { name: '解锁' }).isDisabled(), 'the wait survived the reload');
  const attempts = JSON.parse(await page.evaluate(() => localStorage.getItem('ruhu.lock-attempts')));
  assert.equal(attempts.failed, 4);
  await page.getByTestId('lock-wait').waitFor({ state: 'detached', timeout: 12_000 });

  // Unlock: the list.
  await unlock(page, PIN);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  await page.locator('li.entry').nth(5).waitFor();
  assert.equal(await page.locator('li.entry').count(), 6);
  assert.equal(await page.evaluate(() => localStorage.getItem('ruhu.lock-attempts')), null, 'a right PIN resets the count');

  // A new record (its surveyor is 赵秀云, from 设置): the journal entry written at each change
  // is sealed (or already gone, once saved).
  await page.getByRole('button', { name: '新建入户' }).click();
  const village = page.getByLabel('村', { exact: true });
  await village.fill('额尔和村');
  const journal = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ruhu-journal:')).map((k) => localStorage.getItem(k)));
  for (const j of journal) assert.ok(j.startsWith('ruhu-sealed/1:') && !j.includes(SURVEYOR), 'the journal is sealed');
  await page.locator('.save-status[data-save-state="saved"]').waitFor();
  await page.waitForTimeout(400);
  await page.locator('.save-status[data-save-state="saved"]').waitFor();

  // Other pages of the session: no PIN asked.
  await page.goto(new URL('office.html#/township', BASE_URL).href);
  await page.getByRole('heading', { name: '乡镇汇总' }).first().waitFor();
  assert.equal(await lockScreen(page).count(), 0, 'the office opens within the session');
  await page.goto(new URL('roster.html#/roster', BASE_URL).href);
  await page.getByRole('heading', { name: '花名册核对' }).first().waitFor();
  assert.equal(await lockScreen(page).count(), 0, 'the roster page opens within the session');
  await page.goto(new URL('app.html#/', BASE_URL).href);
  await page.locator('section.home[data-snapshot="kept"]').waitFor();

  // Nothing about the people in plain text anywhere the page can read.
  const stored = await everythingStored(page);
  assert.ok(stored.some(([w]) => w.startsWith('idb ruhu/records/')), 'the records were read');
  assert.ok(stored.some(([w]) => w.startsWith('cache ')), 'Cache Storage was read');
  assert.ok(stored.some(([w]) => w.startsWith('sessionStorage ruhu.session')), 'sessionStorage was read');
  assert.deepEqual(plainHits(stored), [], 'no name, ID number or phone in plain text');

  // 5 minutes in the background: locked (the page reloads to the lock screen).
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    const real = Date.now.bind(Date);
    Date.now = () => real() + 6 * 60 * 1000;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await lockScreen(page).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ruhu.session')), null, 'the session ended');
  await unlock(page, PIN);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();

  // Remove the lock: everything is there, plain again.
  await page.goto(new URL('app.html#/settings', BASE_URL).href);
  const section2 = page.getByTestId('app-lock');
  await section2.getByLabel('当前密码').fill(PIN);
  await section2.getByRole('button', { name: '关闭应用锁' }).click();
  await section2.getByRole('button', { name: '确定' }).click();
  await section2.getByText('应用锁已关闭').waitFor({ timeout: 60_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('ruhu.lock')), null);
  assert.equal(await page.locator('input[name="surveyor"]').inputValue(), SURVEYOR);
  await page.goto(BASE_URL);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  await page.locator('li.entry').nth(6).waitFor();
  assert.equal(await page.locator('li.entry').count(), 7, 'the six imported and the new one');
  const after = await everythingStored(page);
  assert.ok(!after.some(([w, t]) => w.startsWith('idb ruhu/') && t.includes('\u0000RV1')), 'nothing left sealed');
  const names = batch.records.flatMap((r) => r.members.map((m) => m.name));
  for (const n of names) assert.ok(after.some(([w, t]) => w.startsWith('idb ruhu/records/') && t.includes(n)), `${n} is stored plain again`);
  assertSameOrigin(requests);
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [], 'no page errors');
});
