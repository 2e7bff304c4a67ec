// The fault suite's saving side (issue 13, item 8): real headless Chromium, each case injects
// faults while a surveyor types and checks afterwards that every typed value is there (in the
// form and, once storage works, in IndexedDB), that no newer state was overwritten (revisions
// never go backwards) and that the person was told. Every case is recorded in the ledger
// (lib/faults.mjs); `./x.sh e2e` prints the total.
//
// The random moments come from a seeded generator (SEED=n to repeat a run; the seed is printed).
// `localStorage["ruhu-debug"] = "1"` (set by an init script) gives the page `window.ruhuDebug`
// (src/ui/crash.rs): `panic()` and `closeDatabase()`, the test triggers of a release build.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { FaultLedger } from '../lib/faults.mjs';
import { QUIET } from '../lib/chromium-flags.mjs';
import { watchCsp, watchContext } from '../lib/csp.mjs';
import { BASE_URL, storedRecord, serviceWorkerFile, waitForServiceWorker } from '../lib/app.mjs';
import { importFiles } from '../fixtures/records/harness.mjs';

const ledger = new FaultLedger('faults-saves');
const SEED = Number(process.env.SEED || Date.now() % 100000);
console.log(`faults-saves: SEED=${SEED}`);
let seed = SEED;
/** A number in [0, 1) (mulberry32). */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const CHARS = '额尔和宝山哈力村组长张王李敖达斡尔一二三四五六七八九十';
const word = (n) => Array.from({ length: n }, () => CHARS[between(0, CHARS.length - 1)]).join('');

/** The text fields the cases type into (record paths = input names). */
const FIELDS = ['address.village', 'address.group', 'visit.surveyor'];
const APP = new URL('app.html', BASE_URL).href;

let browser;
before(async () => {
  browser = watchCsp(await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: QUIET }));
});
after(async () => {
  await browser?.close();
  ledger.report();
});

const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  acceptDownloads: true,
};

/** A fresh phone (its own storage) with the debug trigger on. */
async function phone({ serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({ ...PHONE, serviceWorkers });
  await debugOn(context);
  return context;
}

async function debugOn(context) {
  await context.addInitScript(() => {
    try { localStorage.setItem('ruhu-debug', '1'); } catch (e) { /* opaque origins */ }
  });
}

function watch(page) {
  page.on('pageerror', (e) => { if (!/ruhu-debug|unreachable|RuntimeError/.test(String(e))) console.error('pageerror:', e.message); });
  return page;
}

/** A new draft opened in the editor; gives its id. */
async function newRecord(page) {
  await page.goto(`${APP}#/new`);
  await page.waitForURL(/#\/h\/[0-9a-f-]{36}$/);
  await editable(page);
  return /#\/h\/([0-9a-f-]{36})/.exec(page.url())[1];
}

const input = (page, path) => page.locator(`input[name="${path}"]`);

/** Waits until the editor's form can be typed into. */
async function editable(page, timeout = 30_000) {
  await page.locator(`input[name="${FIELDS[0]}"]:enabled`).waitFor({ timeout });
}

async function openRecord(page, id) {
  await page.goto(`${APP}#/h/${id}`);
  await editable(page);
}

/** Appends `text` to a field as a person types it (key by key, `delay` ms apart). */
async function typeInto(page, path, text, delay = 0) {
  const field = input(page, path);
  await field.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay });
}

/** The fields whose form value is not the expected one, as `path: got ≠ want`. */
async function missing(page, expected) {
  const out = [];
  for (const [path, want] of Object.entries(expected)) {
    const got = await input(page, path).inputValue();
    if (got !== want) out.push(`${path}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  }
  return out;
}

/** The stored record's value at a path such as `address.village`. */
const at = (record, path) => path.split('.').reduce((v, k) => (v == null ? v : v[k]), record);

/** The fields whose stored value is not the expected one. */
async function missingStored(page, id, expected) {
  const stored = await storedRecord(page, id);
  return Object.entries(expected)
    .filter(([path, want]) => at(stored, path) !== want)
    .map(([path, want]) => `stored ${path}: ${JSON.stringify(at(stored, path))} ≠ ${JSON.stringify(want)}`);
}

async function waitSaved(page, timeout = 30_000) {
  await page.waitForTimeout(400);
  await page.locator('.save-status[data-save-state="saved"]').waitFor({ timeout });
}

/** Whether the journal's "put back" banner or nothing-to-put-back holds after a reopen. */
async function restoredShown(page) {
  return (await page.getByTestId('restored').count()) > 0;
}

test('reload in the middle of typing, again and again: every typed value is back', { timeout: 240_000 }, async () => {
  const context = await phone();
  const page = watch(await context.newPage());
  const id = await newRecord(page);
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  const lost = [];
  const overwritten = [];
  let faults = 0;
  let checked = 0;
  let told = true;
  let lastRevision = 0;
  let fromJournal = 0;
  for (let round = 0; round < 10; round++) {
    // A burst over one or two fields, then the reload at a random moment of the save cycle:
    // before the debounce, while the transaction runs, or just after.
    for (let k = between(1, 2); k > 0; k--) {
      const path = FIELDS[between(0, FIELDS.length - 1)];
      const text = word(between(1, 6));
      await typeInto(page, path, text, between(0, 40));
      expected[path] += text;
    }
    await page.waitForTimeout(between(0, 450));
    await page.reload();
    faults++;
    await editable(page);
    const gone = await missing(page, expected);
    lost.push(...gone.map((g) => `round ${round}: ${g}`));
    checked += FIELDS.length;
    // The values came back from the store or from the journal (then the banner says so).
    const stored = await storedRecord(page, id);
    const fromStore = FIELDS.every((f) => at(stored, f) === expected[f]);
    if (!fromStore) fromJournal++;
    if (!fromStore && !(await restoredShown(page))) told = false;
    if (stored.revision < lastRevision) overwritten.push(`round ${round}: revision ${stored.revision} < ${lastRevision}`);
    lastRevision = stored.revision;
  }
  await waitSaved(page);
  lost.push(...(await missingStored(page, id, expected)));
  checked += FIELDS.length;
  // How many reloads only the journal survived (the store did not have the values yet).
  console.log(`reload mid-typing: ${fromJournal} of 10 reloads came back from the journal`);
  ledger.case('reload mid-typing (10 random moments)', { faults, checked, lost, overwritten, told });
  await context.close();
});

test('the page crashes (Page.crash) mid-save: every typed value is back in a new page', { timeout: 180_000 }, async () => {
  const context = await phone();
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  const lost = [];
  let faults = 0;
  let checked = 0;
  let page = watch(await context.newPage());
  const id = await newRecord(page);
  for (let round = 0; round < 4; round++) {
    const path = FIELDS[round % FIELDS.length];
    const text = word(between(2, 6));
    await typeInto(page, path, text, between(0, 30));
    expected[path] += text;
    await page.waitForTimeout(between(0, 400));
    const cdp = await context.newCDPSession(page);
    await Promise.race([cdp.send('Page.crash').catch(() => {}), page.waitForEvent('crash')]);
    faults++;
    await page.close().catch(() => {});
    page = watch(await context.newPage());
    await openRecord(page, id);
    lost.push(...(await missing(page, expected)).map((g) => `crash ${round}: ${g}`));
    checked += FIELDS.length;
  }
  await waitSaved(page);
  lost.push(...(await missingStored(page, id, expected)));
  checked += FIELDS.length;
  ledger.case('page crashed mid-save (Page.crash ×4)', { faults, checked, lost });
  await context.close();
});

test('the browser closes mid-save: every typed value is back after it starts again', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruhu-profile-'));
  const open = async () => {
    const context = await chromium.launchPersistentContext(dir, {
      ...PHONE,
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: QUIET,
      serviceWorkers: 'block',
    });
    await watchContext(context);
    await debugOn(context);
    return context;
  };
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  const lost = [];
  let faults = 0;
  let checked = 0;
  try {
    let context = await open();
    let page = watch(context.pages()[0] || (await context.newPage()));
    const id = await newRecord(page);
    for (let round = 0; round < 3; round++) {
      const path = FIELDS[(round + 1) % FIELDS.length];
      const text = word(between(2, 6));
      await typeInto(page, path, text, between(0, 30));
      expected[path] += text;
      await page.waitForTimeout(between(0, 400));
      await context.close();
      faults++;
      context = await open();
      page = watch(context.pages()[0] || (await context.newPage()));
      await openRecord(page, id);
      lost.push(...(await missing(page, expected)).map((g) => `close ${round}: ${g}`));
      checked += FIELDS.length;
    }
    await waitSaved(page);
    lost.push(...(await missingStored(page, id, expected)));
    checked += FIELDS.length;
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ledger.case('browser context closed mid-save (×3, persistent profile)', { faults, checked, lost });
});

test('storage full: 未保存 with what to do, the editor asks before it is left, export has the edit, nothing lost when space returns', { timeout: 180_000 }, async () => {
  const context = await phone();
  const page = watch(await context.newPage());
  const id = await newRecord(page);
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  await typeInto(page, FIELDS[0], '哈力村');
  expected[FIELDS[0]] += '哈力村';
  await waitSaved(page);
  // The disk is full: every write of the store fails as IndexedDB's QuotaExceededError does
  // (the store's injected failure; Chromium's Storage.overrideQuotaForOrigin does not limit
  // a test profile's IndexedDB), and stays so across reloads until lifted.
  await page.evaluate(() => window.ruhuDebug.storageFull(true));
  let faults = 1;
  let told = true;
  const lost = [];
  // Enough text that the record grows past any rounding of the quota.
  const long = word(30).repeat(40);
  await typeInto(page, FIELDS[1], long.slice(0, 20));
  await page.locator(`input[name="${FIELDS[1]}"]`).evaluate((el, rest) => {
    el.value += rest;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, long.slice(20));
  expected[FIELDS[1]] += long;
  await page.locator('.save-status[data-save-state="failed"]').waitFor({ timeout: 20_000 });
  const banner = page.getByTestId('unsaved');
  const message = await banner.textContent();
  if (!/存储空间已满/.test(message) || !/导出/.test(message) || !/设置/.test(message)) told = false;
  assert.match(await page.locator('.save-status').textContent(), /未保存/);

  // Leaving the editor asks (and staying keeps everything).
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.locator('a.back').click();
  await page.waitForTimeout(300);
  if (!/未保存/.test(asked)) told = false;
  assert.match(page.url(), new RegExp(`#/h/${id}$`), 'stayed in the editor');
  faults++;

  // 导出此记录 exports the record with the unsaved edit.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    banner.getByRole('button', { name: /导出此记录/ }).click(),
  ]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const exported = file.records.find((r) => r.id === id);
  for (const [path, want] of Object.entries(expected)) if (at(exported, path) !== want) lost.push(`export ${path}`);

  // A reload while it cannot save: asked first (accepted here), and the edit is back.
  page.once('dialog', (d) => d.accept());
  await page.reload();
  faults++;
  await editable(page);
  lost.push(...(await missing(page, expected)).map((g) => `after reload: ${g}`));
  if (!(await restoredShown(page))) told = false;
  await page.locator('.save-status[data-save-state="failed"]').waitFor({ timeout: 20_000 });

  // Space comes back: the retry saves it without the person doing anything.
  await page.evaluate(() => window.ruhuDebug.storageFull(false));
  await page.locator('.save-status[data-save-state="saved"]').waitFor({ timeout: 40_000 });
  lost.push(...(await missingStored(page, id, expected)));
  const stored = await storedRecord(page, id);
  // The save after the export descends from the exported state (never the same lineage twice).
  const after = Object.entries(stored.lineage.saves);
  const overwritten = after.every(([d, n]) => n > (exported.lineage.saves[d] || 0)) ? [] : ['saved state does not descend from the exported one'];
  ledger.case('storage full (injected QuotaExceededError), leave refused, export, reload, space back', {
    faults, checked: FIELDS.length * 3, lost, overwritten, told,
  });
  await context.close();
});

test('IndexedDB closed under the page (closed connection, versionchange): saves go on', { timeout: 120_000 }, async () => {
  const context = await phone();
  const page = watch(await context.newPage());
  const id = await newRecord(page);
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  let faults = 0;
  for (let round = 0; round < 6; round++) {
    const path = FIELDS[round % FIELDS.length];
    const text = word(between(1, 4));
    await typeInto(page, path, text, between(0, 30));
    expected[path] += text;
    await page.waitForTimeout(between(0, 400));
    if (round % 2 === 0) {
      // The connection closed without a word (as a browser may): the next request finds it closed.
      await page.evaluate(() => window.ruhuDebug.closeDatabase());
    } else {
      // Another page asks to upgrade the database (versionchange) and gives up: our
      // connection closes itself and must be opened again.
      await page.evaluate(() => new Promise((resolve) => {
        const req = indexedDB.open('ruhu', 3); // one above the app's DB_VERSION (2)
        req.onupgradeneeded = () => req.transaction.abort();
        req.onerror = () => resolve();
        req.onsuccess = () => { req.result.close(); resolve(); };
      }));
    }
    faults++;
  }
  await waitSaved(page);
  const lost = [...(await missing(page, expected)), ...(await missingStored(page, id, expected))];
  const version = await page.evaluate(() => new Promise((resolve) => {
    const r = indexedDB.open('ruhu');
    r.onsuccess = () => { resolve(r.result.version); r.result.close(); };
  }));
  assert.equal(version, 2, 'the database was not upgraded');
  ledger.case('IndexedDB closed under the page (×6)', { faults, checked: FIELDS.length * 2, lost });
  await context.close();
});

test('two tabs on one record: the second is read-only and follows, the list of a third updates, no revision goes back, an import meanwhile is not overwritten', { timeout: 180_000 }, async () => {
  const context = await phone();
  const a = watch(await context.newPage());
  const id = await newRecord(a);
  await typeInto(a, FIELDS[0], '额尔和村');
  await waitSaved(a);
  const b = watch(await context.newPage());
  await b.goto(`${APP}#/h/${id}`);
  await b.getByTestId('elsewhere').waitFor();
  const told = /另一窗口中编辑/.test(await b.getByTestId('elsewhere').textContent());
  assert.ok(await input(b, FIELDS[0]).isDisabled(), 'read-only in the second tab');
  const list = watch(await context.newPage());
  await list.goto(`${APP}#/`);
  await list.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  let faults = 1;
  const lost = [];
  const overwritten = [];
  const revisions = [];

  // A types; B shows it; the list in the third tab shows it.
  const expected = { [FIELDS[0]]: '额尔和村', [FIELDS[1]]: '', [FIELDS[2]]: '' };
  await typeInto(a, FIELDS[1], '三组');
  expected[FIELDS[1]] = '三组';
  await waitSaved(a);
  revisions.push((await storedRecord(a, id)).revision);
  await b.waitForFunction(([name, want]) => document.querySelector(`input[name="${name}"]`)?.value === want, [FIELDS[1], '三组'], { timeout: 10_000 });
  await typeInto(a, FIELDS[0], '东');
  expected[FIELDS[0]] += '东';
  await waitSaved(a);
  await list.getByText(expected[FIELDS[0]]).first().waitFor({ timeout: 15_000 });

  // An import in the third tab (a later state of the record, from another phone) while A has
  // the record open; then A types: A's save is not written over the imported state; A is
  // told and chooses.
  const stored = await storedRecord(a, id);
  revisions.push(stored.revision);
  const theirs = structuredClone(stored);
  theirs.revision += 1;
  theirs.address.group = '四组';
  theirs.lineage = { ...theirs.lineage, saves: { ...theirs.lineage.saves, otherphone0000000000000000000001: 1 }, revision: theirs.revision };
  const summary = await importFiles(list, [{ name: 'theirs.json', text: JSON.stringify({ format: 'ruhu.export/1', exported_at: '2023-03-01T10:00:00+08:00', records: [theirs] }) }]);
  assert.match(summary, /更新 1/, 'the import is a later state');
  faults++;
  await typeInto(a, FIELDS[2], '张');
  expected[FIELDS[2]] = '张';
  await a.getByTestId('changed-elsewhere').waitFor({ timeout: 15_000 });
  await a.waitForTimeout(500);
  const kept = await storedRecord(a, id);
  if (kept.address.group !== '四组' || kept.revision !== theirs.revision) overwritten.push('the imported state was overwritten');
  revisions.push(kept.revision);
  await a.getByRole('button', { name: '保留本窗口的修改' }).click();
  await waitSaved(a);
  const resolved = await storedRecord(a, id);
  // The resolution descends from both.
  for (const [d, n] of Object.entries(theirs.lineage.saves)) if ((resolved.lineage.saves[d] || 0) < n) overwritten.push(`resolution lacks ${d}`);
  for (const [d, n] of Object.entries(stored.lineage.saves)) if ((resolved.lineage.saves[d] || 0) <= n) overwritten.push(`resolution does not descend from ours (${d})`);
  revisions.push(resolved.revision);
  lost.push(...(await missing(a, expected)));

  // A leaves the record: B takes over and can type; its save goes on top.
  await a.goto(`${APP}#/`);
  await editable(b);
  faults++;
  lost.push(...(await missing(b, expected)).map((g) => `tab B: ${g}`));
  await typeInto(b, FIELDS[0], '西');
  expected[FIELDS[0]] += '西';
  await waitSaved(b);
  revisions.push((await storedRecord(b, id)).revision);
  lost.push(...(await missingStored(b, id, expected)));
  for (let i = 1; i < revisions.length; i++) if (revisions[i] < revisions[i - 1]) overwritten.push(`revision ${revisions[i]} after ${revisions[i - 1]}`);
  ledger.case('two tabs on one record (+ an import meanwhile)', { faults, checked: FIELDS.length * 3, lost, overwritten, told });
  await context.close();
});

test('a panic in the middle of typing: a Chinese message with 重新载入, and every value typed before it back', { timeout: 120_000 }, async () => {
  const context = await phone();
  const page = watch(await context.newPage());
  const id = await newRecord(page);
  const expected = Object.fromEntries(FIELDS.map((f) => [f, '']));
  let faults = 0;
  let told = true;
  const lost = [];
  for (let round = 0; round < 3; round++) {
    for (const path of FIELDS) {
      const text = word(between(1, 5));
      await typeInto(page, path, text, between(0, 20));
      expected[path] += text;
    }
    await page.waitForTimeout(between(0, 350));
    await page.evaluate(() => window.ruhuDebug.panic()).catch(() => {});
    faults++;
    const overlay = page.locator('#crash');
    await overlay.waitFor({ timeout: 5_000 });
    if (!/程序出错了/.test(await overlay.textContent())) told = false;
    await Promise.all([page.waitForEvent('load'), overlay.getByRole('button', { name: '重新载入' }).click()]);
    await editable(page);
    lost.push(...(await missing(page, expected)).map((g) => `panic ${round}: ${g}`));
  }
  await waitSaved(page);
  lost.push(...(await missingStored(page, id, expected)));
  ledger.case('panic mid-typing (×3)', { faults, checked: FIELDS.length * 4, lost, told });
  await context.close();
});

test('a new service worker during a form: 更新 waits for the save (refused while it fails), the other tabs reload when no form is edited', { timeout: 240_000 }, async () => {
  const sw = serviceWorkerFile();
  const context = await phone({ serviceWorkers: 'allow' });
  try {
    const page = watch(await context.newPage());
    await page.goto(BASE_URL);
    await waitForServiceWorker(page);
    const id = await newRecord(page);
    const home = watch(await context.newPage());
    await home.goto(`${APP}#/`);
    await home.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
    const other = watch(await context.newPage());
    const otherId = await newRecord(other);
    for (const p of [home, other]) await p.evaluate(() => { window.__before = 1; });
    await waitForServiceWorker(home);

    await sw.publish(page);
    const prompt = page.locator('#update-prompt');
    await prompt.getByRole('button', { name: '更新' }).waitFor({ timeout: 60_000 });
    let faults = 1;
    let told = true;
    const lost = [];

    // The save fails (storage full): 更新 says why and does not reload.
    await page.evaluate(() => { window.ruhuDebug.storageFull(true); window.__before = 1; });
    const long = word(30).repeat(40);
    await input(page, FIELDS[0]).evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, long);
    await prompt.getByRole('button', { name: '更新' }).click();
    faults++;
    await page.locator('.save-status[data-save-state="failed"]').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /暂不更新/.test(document.getElementById('update-prompt')?.textContent || ''), null, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => window.__before), 1, 'not reloaded while the save fails');

    // Space back: 更新 reloads after the save committed; the value is stored.
    await page.evaluate(() => window.ruhuDebug.storageFull(false));
    await typeInto(page, FIELDS[1], '二组');
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), prompt.getByRole('button', { name: '更新' }).click()]);
    await editable(page);
    const expected = { [FIELDS[0]]: long, [FIELDS[1]]: '二组' };
    lost.push(...(await missing(page, expected)), ...(await missingStored(page, id, expected)));

    // The home tab reloaded by itself; the tab in a form did not, and said so.
    await home.waitForFunction(() => window.__before === undefined, null, { timeout: 30_000 });
    assert.equal(await other.evaluate(() => window.__before), 1, 'a tab in a form is not reloaded');
    await other.locator('#update-prompt').filter({ hasText: '离开此记录后' }).waitFor({ timeout: 10_000 });
    // Once it leaves the form, it reloads.
    await typeInto(other, FIELDS[0], '宝山村');
    await other.locator('a.back').click();
    await other.waitForFunction(() => window.__before === undefined, null, { timeout: 30_000 });
    lost.push(...(await missingStored(home, otherId, { [FIELDS[0]]: '宝山村' })));
    ledger.case('new service worker during a form (save failing, then committed; 2 other tabs)', {
      faults, checked: 3, lost, told,
    });
  } finally {
    sw.restore();
    await context.close();
  }
});
