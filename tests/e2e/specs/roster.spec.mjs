// 花名册 and 机账实一致 (issue 12) across both pages and two devices: the township office
// imports a roster (.xlsx, tests/e2e/fixtures/roster-e2e.xlsx, written by `cargo run --example
// roster-fixture`) in roster.html — a refused file first, with its cell named — keeps it across
// a reload, exports one village's prefilled drafts; the surveyor's phone imports them like any
// file (待入户 in the home list, and in the start page's list), completes a visit that adds a
// newborn and drops a member (the form marks both against the roster; 待入户 gone); the office
// imports that visit and its ledger shows `matched` with exactly `member-added` and
// `member-missing`, filters by village and code, exports CSV (UTF-8 BOM), taps through to the
// record, and lists both persons in the 动态管理清单.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launch, phone, importFiles, rows, goHome, exportAll, waitSaved, BASE_URL,
} from '../fixtures/records/harness.mjs';
import { assertSameOrigin } from '../lib/app.mjs';
import { FaultLedger } from '../lib/faults.mjs';

const faults = new FaultLedger('roster.spec.mjs');

const HERE = dirname(fileURLToPath(import.meta.url));
const ROSTER = join(HERE, '..', 'fixtures', 'roster-e2e.xlsx');
const ROSTER_PAGE = new URL('roster.html', BASE_URL).href;

let browser;
const requests = [];
before(async () => { browser = await launch(); });
after(async () => { faults.report(); await browser?.close(); });

/** A fresh office device (its own storage) with the roster page open. */
async function office() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    serviceWorkers: 'block',
  });
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(ROSTER_PAGE);
  await page.getByRole('heading', { level: 1, name: '花名册核对' }).waitFor();
  return { context, page, errors };
}

/** Clicks `button` and gives the download's name and bytes. */
async function downloadVia(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** The ledger's rows: code, status, 户编号, 户主, 证件号码 cells, the record linked. */
async function ledgerRows(page) {
  return page.locator('table.reconcile-ledger tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const td = [...tr.querySelectorAll('td')].map((c) => c.textContent);
    return { code: tr.dataset.code, village: td[1], no: td[2], head: td[3], status: td[5], id: td[8], record: tr.dataset.record ?? null };
  }));
}

/** The village table's counts for `village`. */
async function villageCounts(page, village) {
  const row = page.locator(`table.roster-villages tr[data-village="${village}"]`);
  await row.waitFor();
  const n = async (col) => Number(await row.locator(`td[data-col="${col}"]`).textContent());
  return { households: await n('households'), people: await n('people'), visited: await n('visited') };
}

test('roster: office imports, drafts go to the surveyor, the visit comes back reconciled', { timeout: 240_000 }, async () => {
  // --- The office: a refused file, then the roster ---------------------------------------
  const o = await office();
  await o.page.getByText('本机还没有花名册。').waitFor();
  // Excel turned an ID into a number: the file is refused at that cell, nothing kept.
  await o.page.locator('#import-roster').setInputFiles({
    name: '坏花名册.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('姓名,证件号码,与户主关系\r\n张三,1.50722E+17,户主\r\n', 'utf8'),
  });
  const refused = o.page.locator('.roster-error');
  await refused.waitFor();
  const why = await refused.textContent();
  for (const part of ['坏花名册.csv', '第 2 行', '证件号码', '丢失位数']) assert.ok(why.includes(part), `${part} in: ${why}`);
  assert.ok(await o.page.getByText('本机还没有花名册。').count(), 'a refused file keeps nothing');

  await o.page.getByLabel('导入花名册').setInputFiles(ROSTER);
  await o.page.locator('[data-roster-imported]').waitFor();
  assert.equal((await o.page.locator('[data-roster-imported]').textContent()).trim(), '已导入 roster-e2e.xlsx：3 户 6 人。');
  assert.deepEqual(await villageCounts(o.page, '宝山村'), { households: 2, people: 5, visited: 0 });
  assert.deepEqual(await villageCounts(o.page, '兴仁村'), { households: 1, people: 1, visited: 0 });
  // A village's households, visited or not.
  await o.page.locator('tr[data-village="宝山村"] th button').click();
  const households = o.page.locator('[data-village-open="宝山村"] tbody tr');
  assert.deepEqual(await households.evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.dataset.visited])), [['孟德海', 'no'], ['敖金山', 'no']]);

  // Kept on the device: a reload reads it again.
  await o.page.reload();
  await o.page.locator('.roster-summary[data-roster-file="roster-e2e.xlsx"]').waitFor();
  assert.match(await o.page.locator('.roster-summary').textContent(), /3 户 6 人，2 个村/);

  // One village's prefilled drafts: the form asks for the surveyor's phone key; plain first.
  await o.page.locator('tr[data-village="宝山村"] [data-action="drafts"]').click();
  const form = o.page.locator('[data-drafts-village="宝山村"]');
  await form.getByRole('button', { name: '加密导出', exact: true }).click();
  await form.getByRole('alert').filter({ hasText: '请填写本村排查人手机的公钥' }).waitFor();
  await form.getByLabel('排查人手机公钥').fill('AGE-SECRET-KEY-1QQQ');
  await form.getByRole('button', { name: '加密导出', exact: true }).click();
  await form.getByRole('alert').filter({ hasText: '没有导出' }).waitFor();
  const drafts = await downloadVia(o.page, form.getByRole('button', { name: '不加密导出' }));
  assert.match(drafts.name, /^额尔和乡-宝山村-预填入户-\d{4}-\d\d-\d\d\.json$/);
  await form.getByText('未加密：拿到文件的人都能看到姓名和身份证号').waitFor();
  // A bad file over the kept roster (a fault): refused, told, the kept roster unchanged.
  const bad = { name: '坏花名册.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,证件号码,与户主关系\r\n张三,1.50722E+17,户主\r\n', 'utf8') };
  await o.page.locator('#import-roster').setInputFiles(bad);
  await o.page.locator('.roster-error').waitFor();
  const told = (await o.page.locator('.roster-error').textContent()).includes('原来保存的花名册不变');
  await o.page.reload();
  await o.page.locator('.roster-summary').waitFor();
  const kept = await o.page.locator('.roster-summary').textContent();
  const lost = ['roster-e2e.xlsx', '3 户 6 人', '2 个村'].filter((v) => !kept.includes(v));
  faults.case('a refused roster file over a kept roster', { faults: 1, checked: 3, lost, told });

  const batch = JSON.parse(drafts.bytes.toString('utf8'));
  assert.equal(batch.format, 'ruhu.export/1');
  assert.equal(batch.records.length, 2);
  const meng = batch.records.find((r) => r.roster.household_no === '150722100001');
  assert.ok(meng, 'the draft keeps its 户编号');
  assert.equal(meng.status, 'draft');
  assert.equal(meng.visit?.date ?? null, null, 'a draft is not a visit');
  assert.deepEqual(meng.members.map((m) => [m.name, m.relation, m.sex]), [['孟德海', 'head', 'male'], ['吴秀兰', 'spouse', 'female'], ['孟小军', 'son', 'male']]);
  assert.ok(meng.members.every((m) => /^\d{17}[\dX]$/.test(m.id_number)), 'IDs without spaces or apostrophes');
  assert.equal(meng.category, 'monitored_marginal', '边缘易致贫户');

  // --- The surveyor's phone: import like any file, 待入户, the visit ------------------------
  const s = await phone(browser);
  s.context.on('request', (r) => requests.push(r.url()));
  // The phone's own key (设置 › 本机公钥), sent to the office; the drafts sealed to it.
  await s.page.goto(new URL('app.html#/settings', BASE_URL).href);
  const phoneKey = (await s.page.getByTestId('device-recipient').textContent()).trim();
  assert.match(phoneKey, /^age1[0-9a-z]{58}$/);
  await s.page.reload();
  assert.equal((await s.page.getByTestId('device-recipient').textContent()).trim(), phoneKey, 'the same key after a reload');
  // (The office page was reloaded above: the form is opened again.)
  await o.page.locator('tr[data-village="宝山村"] [data-action="drafts"]').click();
  await form.getByLabel('排查人手机公钥').fill(phoneKey);
  const sealedDrafts = await downloadVia(o.page, form.getByRole('button', { name: '加密导出', exact: true }));
  assert.match(sealedDrafts.name, /^额尔和乡-宝山村-预填入户-\d{4}-\d\d-\d\d\.txt$/);
  const armour = sealedDrafts.bytes.toString('utf8');
  assert.ok(armour.startsWith('-----BEGIN AGE ENCRYPTED FILE-----'), 'armoured age');
  for (const n of ['孟德海', '吴秀兰', '敖金山']) assert.ok(!armour.includes(n), `no name in the sealed file (${n})`);
  // Remembered for the village.
  await o.page.reload();
  await o.page.locator('tr[data-village="宝山村"] [data-action="drafts"]').click();
  await o.page.waitForFunction(() => document.querySelector('[data-drafts-village="宝山村"] input[name="phone-key"]')?.value.startsWith('age1'));
  assert.equal(await o.page.locator('[data-drafts-village="宝山村"] input[name="phone-key"]').inputValue(), phoneKey);
  // Another phone (with its own key) refuses it by name; the village's phone opens it, nothing typed.
  const stranger = await phone(browser);
  await stranger.page.goto(new URL('app.html#/settings', BASE_URL).href);
  await stranger.page.getByTestId('device-recipient').waitFor();
  await stranger.page.goto(new URL('app.html#/', BASE_URL).href);
  await stranger.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  assert.equal(await importFiles(stranger.page, [{ name: sealedDrafts.name, text: armour }]), '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  assert.match((await stranger.page.locator('.import-report li.refused-file').allTextContents())[0], /^[^：]+：此文件已加密，但不是加密给本机的（本机没有乡镇私钥.*按本机公钥重新导出）$/);
  await stranger.context.close();
  await s.page.goto(new URL('app.html#/', BASE_URL).href);
  await s.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  assert.equal(await importFiles(s.page, [{ name: sealedDrafts.name, text: armour }]), '新增 2 · 更新 0 · 冲突 0 · 无效 0');
  await goHome(s.page);
  let list = await rows(s.page);
  assert.equal(list.length, 2);
  for (const r of list) assert.ok(r.tags.includes('待入户'), `待入户 before the visit: ${JSON.stringify(r)}`);
  // The start page's list (from the full app's snapshot) shows it too.
  await s.page.goto(BASE_URL);
  await s.page.locator('li.entry').first().waitFor();
  list = await rows(s.page);
  assert.deepEqual(list.map((r) => r.tags.includes('待入户')), [true, true], 'start page: 待入户');

  await s.page.goto(new URL('app.html#/', BASE_URL).href);
  await s.page.locator('li.entry', { hasText: '孟德海' }).locator('a.record-link').click();
  await s.page.locator('.hh-form').waitFor();
  const marks = s.page.locator('.roster-changes');
  await marks.waitFor();
  assert.equal(await marks.getAttribute('data-roster-changes'), '0', 'nothing changed against the roster yet');
  await s.page.locator('#f-visit-date input').fill('2023-02-20');
  // 孟小军 moved away (the third member), a newborn arrived.
  const card = s.page.locator('#f-members-2');
  if (!(await card.getByRole('button', { name: '删除此成员' }).isVisible())) await card.locator('summary').click();
  await card.getByRole('button', { name: '删除此成员' }).click();
  await s.page.getByRole('button', { name: '＋ 添加家庭成员' }).click();
  await s.page.locator('#f-members-2-name input').fill('孟小宝');
  await s.page.locator('#f-members-2-relation select').selectOption({ label: '之孙子' });
  await waitSaved(s.page);
  await s.page.waitForFunction(() => document.querySelector('.roster-changes')?.dataset.rosterChanges === '2');
  const changed = await s.page.locator('[data-roster-change]').evaluateAll((li) => li.map((l) => l.dataset.rosterChange).sort());
  assert.deepEqual(changed, ['members-removed:孟小军', 'members[2]']);
  // On the form itself: the new member's fields carry the mark.
  const tag = await s.page.evaluate(() => {
    const f = document.querySelector('[data-path="members[2].name"]');
    return f && getComputedStyle(f.firstElementChild, '::after').content;
  });
  assert.equal(tag, '"与花名册不同"');
  // Unchanged roster answers are not marked.
  const plain = await s.page.evaluate(() => {
    const f = document.querySelector('[data-path="members[0].name"]');
    return f && getComputedStyle(f.firstElementChild, '::after').content;
  });
  assert.notEqual(plain, '"与花名册不同"');

  await goHome(s.page);
  list = await rows(s.page);
  const visited = list.find((r) => r.title.startsWith('孟德海'));
  const other = list.find((r) => r.title.startsWith('敖金山'));
  assert.ok(!visited.tags.includes('待入户'), `not 待入户 after the visit: ${JSON.stringify(visited)}`);
  assert.ok(other.tags.includes('待入户'), 'the household not visited stays 待入户');
  const visit = await exportAll(s.page);

  // --- The office: the visit imported, reconciled ------------------------------------------
  await o.page.goto(new URL('app.html#/', BASE_URL).href);
  await o.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  assert.equal(await importFiles(o.page, [{ name: visit.name, text: visit.text }]), '新增 2 · 更新 0 · 冲突 0 · 无效 0');
  // From the township's tabs to the roster page.
  await o.page.goto(new URL('office.html#/township', BASE_URL).href);
  const link = o.page.getByRole('link', { name: '花名册核对' });
  assert.equal(await link.getAttribute('href'), 'roster.html#/roster');
  await link.click();
  await o.page.locator('.roster-summary').waitFor();
  assert.deepEqual(await villageCounts(o.page, '宝山村'), { households: 2, people: 5, visited: 1 });

  await o.page.locator('[data-roster-tab="ledger"]').click();
  await o.page.locator('table.reconcile-ledger').waitFor();
  // It opens on the first village; every village on request.
  assert.deepEqual([...new Set((await ledgerRows(o.page)).map((r) => r.village))], ['宝山村']);
  await o.page.locator('select[name="roster-village"]').selectOption({ label: '全部村' });
  await o.page.waitForFunction(() => [...document.querySelectorAll('table.reconcile-ledger tbody tr')].some((tr) => tr.dataset.village === '兴仁村'));
  const ledger = await ledgerRows(o.page);
  const mine = ledger.filter((r) => r.no === '150722100001');
  assert.deepEqual(mine.map((r) => r.code), ['member-missing', 'member-added'], JSON.stringify(mine));
  assert.ok(mine.every((r) => r.status === '已核对'), 'matched');
  assert.equal(mine[0].id, meng.members[2].id_number, 'the member missing is 孟小军');
  const recordId = visit.json.records.find((r) => r.roster?.household_no === '150722100001').id;
  assert.ok(mine.every((r) => r.record === recordId));
  assert.deepEqual(ledger.filter((r) => r.no !== '150722100001').map((r) => [r.no, r.code, r.status]), [
    ['150722100002', 'not-visited', '未入户'],
    ['150722100003', 'not-visited', '未入户'],
  ]);

  // Filters: by code, by village.
  await o.page.locator('select[name="roster-code"]').selectOption('member-added');
  assert.deepEqual((await ledgerRows(o.page)).map((r) => r.code), ['member-added']);
  await o.page.locator('select[name="roster-code"]').selectOption('');
  await o.page.locator('select[name="roster-village"]').selectOption({ label: '兴仁村' });
  assert.deepEqual((await ledgerRows(o.page)).map((r) => [r.village, r.code]), [['兴仁村', 'not-visited']]);
  await o.page.locator('select[name="roster-village"]').selectOption({ label: '宝山村' });

  // CSV: UTF-8 with BOM, the core's columns, the shown rows.
  const csv = await downloadVia(o.page, o.page.getByRole('button', { name: '导出 CSV' }));
  assert.match(csv.name, /^额尔和乡-机账实核对台账-宝山村-\d{4}-\d\d-\d\d\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines[0], '序号,村,户编号,户主,户主证件号码,状态,代码,问题,证件号码,花名册,入户记录,说明');
  assert.equal(lines.length, 4, 'header + 3 rows of 宝山村');
  assert.ok(lines.some((l) => l.includes('member-added')) && lines.some((l) => l.includes('member-missing')));
  assert.ok(lines[1].includes('"=""150722100001"""'), `the 户编号 kept as text for Excel: ${lines[1]}`);

  // Tap through to the record, as the office prints it.
  const head = o.page.locator('table.reconcile-ledger tbody tr[data-code="member-added"] td.head a');
  assert.equal(await head.getAttribute('href'), `office.html#/h/${recordId}/print`);

  // 动态管理清单.
  await o.page.locator('[data-roster-tab="changes"]').click();
  const add = o.page.locator('[data-changes="persons-to-add"]');
  await add.waitFor();
  assert.equal(await add.locator('.count').textContent(), '1');
  assert.ok((await add.textContent()).includes('孟小宝'));
  const remove = o.page.locator('[data-changes="persons-to-remove"]');
  assert.equal(await remove.locator('.count').textContent(), '1');
  assert.ok((await remove.textContent()).includes('孟小军'));

  await o.page.goto(ROSTER_PAGE + '#/roster/ledger');
  await o.page.locator('table.reconcile-ledger tbody tr[data-code="member-added"] td.head a').click();
  await o.page.waitForURL(/office\.html#\/h\/.+\/print/);
  await o.page.getByText('孟德海').first().waitFor();

  assert.deepEqual(o.errors, [], 'no page errors on the office');
  assertSameOrigin(requests);
  await o.context.close();
  await s.context.close();
});
