// The fault suite's exchange cases (issue 13, item 8): copies of one record edited apart on
// two phones and imported both ways (in the surveyor's app and on the office's device), files
// crafted to replace a good record (same id and another household, a revision over 2^53−1,
// one at the edge of it), and the receipt round trip (回执: office import → receipt → the
// surveyor's app marks 乡镇已接收, then 接收后有修改 after an edit). Each "phone" is a fresh
// browser context (its own IndexedDB, localStorage and so its own device id). Every case is
// recorded in the fault ledger (lib/faults.mjs): the values it checked, none lost, no newer
// state overwritten, the person told.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  BASE_URL, launch, phone, createHousehold, exportAll, importFiles, goHome, rows, waitSaved,
} from '../fixtures/records/harness.mjs';
import { FaultLedger } from '../lib/faults.mjs';

const ledger = new FaultLedger('faults-exchange');
let browser;
before(async () => { browser = await launch(); });
after(async () => { ledger.report(); await browser?.close(); });

const MAX_SAFE = 9007199254740991;

/** Opens a record in the editor, types `value` into the field labelled `label`, back home. */
async function edit(page, recordId, label, value) {
  await page.goto(new URL(`#/h/${recordId}`, BASE_URL).href);
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await waitSaved(page);
  await goHome(page);
}

/** The full app's home list (where standing conflicts are listed and resolved). */
async function appHome(page) {
  await page.goto(new URL('app.html#/', BASE_URL).href);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  await page.getByTestId('list-count').or(page.getByText('还没有记录。')).first().waitFor();
}

/** The one record of an export. */
const only = (exported) => { assert.equal(exported.json.records.length, 1); return exported.json.records[0]; };

/** This phone's device id (the name of its saves in `lineage.saves`). */
const deviceOf = (page) => page.evaluate(() => localStorage.getItem('ruhu-device'));

/** The standing conflicts' cards, once the list is there. */
async function standing(page, n) {
  if (n === 0) {
    await page.locator('#conflicts').waitFor({ state: 'detached' });
    return page.locator('#conflicts article.conflict');
  }
  await page.locator(`#conflicts[data-count="${n}"]`).waitFor();
  return page.locator('#conflicts article.conflict');
}

/** A conflict card's rows: path → [本机, 文件]. */
async function conflictRows(card) {
  const pairs = await card.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.path, tr.querySelector('td.local').textContent, tr.querySelector('td.incoming').textContent]));
  return Object.fromEntries(pairs.map(([p, a, b]) => [p, [a, b]]));
}

/** A batch file of these records (as objects). */
const batch = (records) => JSON.stringify({ format: 'ruhu.export/1', exported_at: '2023-03-01T10:00:00+08:00', records });

test('divergent copies imported both ways in the app: a conflict each time, a person resolves, the result descends from both', async () => {
  const a = await phone(browser);
  const b = await phone(browser);
  await createHousehold(a.page, '额尔和村');
  const f0 = await exportAll(a.page);
  const id = only(f0).id;
  assert.equal(await importFiles(b.page, [{ name: f0.name, text: f0.text }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');
  const [devA, devB] = [await deviceOf(a.page), await deviceOf(b.page)];
  assert.notEqual(devA, devB);

  // Edited apart: A types a phone number, B another village.
  await edit(a.page, id, '户主联系电话', '13900000001');
  await edit(b.page, id, '村', '乙村');
  const fa = await exportAll(a.page);
  const fb = await exportAll(b.page);
  const [ra, rb] = [only(fa), only(fb)];
  let faults = 0;
  let checked = 0;
  const lost = [];
  const overwritten = [];

  // B's copy into A: a conflict; A's record stays as it is, both states kept (also after a reload).
  assert.equal(await importFiles(a.page, [{ name: 'B.json', text: fb.text }]), '新增 0 · 更新 0 · 冲突 1 · 无效 0');
  faults++;
  let card = (await standing(a.page, 1)).first();
  const diff = await conflictRows(card);
  assert.deepEqual(diff['address.village'], ['额尔和村', '乙村']);
  assert.equal(diff.phone[0], '13900000001');
  checked += 2;
  const aAfter = only(await exportAll(a.page));
  if (aAfter.phone !== '13900000001') lost.push('A phone');
  if (aAfter.address.village !== '额尔和村' || aAfter.revision !== ra.revision) overwritten.push('A replaced by B');
  checked += 2;
  // The start page (from its snapshot) says so too; the full app lists it.
  await goHome(a.page);
  await a.page.locator('.conflict-count[data-count="1"]').waitFor();
  await a.page.reload();
  await appHome(a.page);
  card = (await standing(a.page, 1)).first();
  assert.ok(await card.getByText('B.json').count(), 'the file is named');
  // Told: the count at the top of the page, and the card.
  let told = (await a.page.getByText('有 1 条冲突待处理').count()) > 0;

  // A's copy into B: the same, the other way.
  assert.equal(await importFiles(b.page, [{ name: 'A.json', text: fa.text }]), '新增 0 · 更新 0 · 冲突 1 · 无效 0');
  faults++;
  await standing(b.page, 1);
  told &&= (await b.page.locator('.import-report .conflicts-note').count()) > 0;
  const bAfter = only(await exportAll(b.page));
  if (bAfter.address.village !== '乙村') lost.push('B village');
  if (bAfter.phone !== rb.phone || bAfter.revision !== rb.revision) overwritten.push('B replaced by A');
  checked += 2;

  // A person on A resolves field by field: A's phone, B's village.
  card = (await standing(a.page, 1)).first();
  await card.getByRole('button', { name: '逐项选择' }).click();
  await card.locator('tr[data-path="address.village"] input.pick').check();
  await card.getByRole('button', { name: '按所选保存' }).click();
  await a.page.locator('.resolved-note', { hasText: '已按所选保存' }).waitFor();
  await standing(a.page, 0);
  const resolved = only(await exportAll(a.page));
  if (resolved.phone !== '13900000001') lost.push('A phone in the resolution');
  if (resolved.address.village !== '乙村') lost.push('B village in the resolution');
  checked += 2;
  for (const [d, n] of Object.entries({ ...ra.lineage.saves, ...rb.lineage.saves })) {
    assert.ok(resolved.lineage.saves[d] >= Math.max(ra.lineage.saves[d] ?? 0, rb.lineage.saves[d] ?? 0), `descends from both (${d}: ${n})`);
  }
  assert.ok(resolved.revision > Math.max(ra.revision, rb.revision));

  // Either old copy again: 未变, nothing replaced.
  for (const f of [fb, fa]) {
    assert.equal(await importFiles(a.page, [{ name: 'again.json', text: f.text }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 1');
    faults++;
  }
  assert.equal(await a.page.locator('#conflicts').count(), 0);
  assert.deepEqual(only(await exportAll(a.page)), resolved);
  checked++;

  // The resolution into B: a plain update, and B's standing conflict is settled by it.
  const fr = await exportAll(a.page);
  assert.equal(await importFiles(b.page, [{ name: '处理后.json', text: fr.text }]), '新增 0 · 更新 1 · 冲突 0 · 无效 0');
  await standing(b.page, 0);
  const bNow = only(await exportAll(b.page));
  if (bNow.phone !== '13900000001' || bNow.address.village !== '乙村') lost.push('the resolution on B');
  checked += 2;
  assert.equal(await importFiles(b.page, [{ name: 'A旧.json', text: fa.text }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 1');
  faults++;
  ledger.case('divergent copies imported both ways (app)', { faults, checked, lost, overwritten, told });
  await a.context.close();
  await b.context.close();
});

test('divergent copies imported both ways on the office device: a conflict, the office page says so, never merged silently', async () => {
  const a = await phone(browser);
  const b = await phone(browser);
  await createHousehold(a.page, '哈力村');
  const f0 = await exportAll(a.page);
  const id = only(f0).id;
  await importFiles(b.page, [{ name: f0.name, text: f0.text }]);
  await edit(a.page, id, '户主联系电话', '13900000002');
  await edit(b.page, id, '户主联系电话', '13900000003');
  const fa = await exportAll(a.page);
  const fb = await exportAll(b.page);
  let faults = 0;
  let checked = 0;
  const lost = [];
  const overwritten = [];
  let told = true;
  // A then B on one office device, B then A on another.
  for (const [first, second] of [[fa, fb], [fb, fa]]) {
    const office = await phone(browser);
    assert.equal(await importFiles(office.page, [{ name: '1.json', text: first.text }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');
    assert.equal(await importFiles(office.page, [{ name: '2.json', text: second.text }]), '新增 0 · 更新 0 · 冲突 1 · 无效 0');
    faults++;
    const card = (await standing(office.page, 1)).first();
    const diff = await conflictRows(card);
    assert.deepEqual(diff.phone, [only(first).phone, only(second).phone]);
    checked += 2;
    await office.page.goto(new URL('office.html#/township', BASE_URL).href);
    await office.page.locator('.conflict-count[data-count="1"]').waitFor();
    told &&= (await office.page.getByText('有 1 条冲突待处理：汇总按本机的版本计算').count()) > 0;
    checked++;
    // 去处理 leads to them.
    await office.page.locator('.conflict-count').getByRole('link', { name: '去处理' }).click();
    await office.page.locator('#conflicts article.conflict').waitFor();
    const kept = only(await exportAll(office.page));
    if (kept.phone !== only(first).phone) overwritten.push('the office copy replaced');
    checked++;
    // 采用文件: the second copy's content, descending from both.
    const c = (await standing(office.page, 1)).first();
    await c.getByRole('button', { name: '采用文件' }).click();
    await office.page.locator('.resolved-note', { hasText: '已采用文件的版本' }).waitFor();
    await standing(office.page, 0);
    const now = only(await exportAll(office.page));
    if (now.phone !== only(second).phone) lost.push('the chosen copy');
    checked++;
    assert.equal(await importFiles(office.page, [{ name: '1.json', text: first.text }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 1');
    faults++;
    await office.page.goto(new URL('office.html#/township', BASE_URL).href);
    await office.page.getByRole('heading').first().waitFor();
    await office.page.waitForTimeout(300);
    assert.equal(await office.page.locator('.conflict-count').count(), 0, 'no conflict stands');
    checked++;
    await office.context.close();
  }
  ledger.case('divergent copies imported both ways (office)', { faults, checked, lost, overwritten, told });
  await a.context.close();
  await b.context.close();
});

test('crafted files: the same id of another household, a revision over 2^53−1, refused with the reason; one at 2^53−1 never wraps', async () => {
  const a = await phone(browser);
  await createHousehold(a.page, '兴仁村');
  await edit(a.page, only(await exportAll(a.page)).id, '户主联系电话', '13900000004');
  const before = await exportAll(a.page);
  const good = only(before);
  const plain = structuredClone(good);
  delete plain.computed;
  let faults = 0;
  let checked = 0;
  const lost = [];
  const overwritten = [];

  // The same id, another household.
  const other = { ...structuredClone(plain), household_id: 'ffffffff-0000-4000-8000-000000000001' };
  other.address = { ...other.address, village: '伪造村' };
  other.lineage = { saves: Object.fromEntries(Object.entries(plain.lineage.saves).map(([d, n]) => [d, n + 100])), revision: plain.revision + 100 };
  other.revision = plain.revision + 100;
  assert.equal(await importFiles(a.page, [{ name: '另一户.json', text: batch([other]) }]), '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  faults++;
  const refused = a.page.locator('.import-report .refused-file');
  assert.match(await refused.textContent(), /另一户\.json.*属于另一户（household_id 不同）.*此记录未导入/);
  let told = (await refused.count()) === 1;
  checked++;

  // A revision over 2^53−1 (written as text: a JS number cannot hold it).
  const huge = batch([{ ...plain, address: { ...plain.address, village: '巨大村' } }])
    .replace(`"revision":${plain.revision},`, '"revision":9007199254740993,');
  assert.ok(huge.includes('9007199254740993'));
  assert.equal(await importFiles(a.page, [{ name: '巨大版本号.json', text: huge }]), '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  faults++;
  assert.match(await a.page.locator('.import-report .refused-file').textContent(), /版本号 revision 9007199254740993 超过上限 9007199254740991/);
  told &&= (await a.page.locator('.import-report .refused').getByText('没有导入').count()) > 0;
  checked++;

  // The stored record untouched by either.
  await goHome(a.page);
  const after = only(await exportAll(a.page));
  delete after.computed;
  if (after.phone !== '13900000004') lost.push('phone');
  if (after.address.village !== '兴仁村' || after.household_id !== good.household_id || after.revision !== good.revision) overwritten.push('crafted record');
  checked += 2;
  assert.equal((await rows(a.page)).length, 1);

  // A new record at 2^53−2: taken; saves on it stop at 2^53−1 (never wrap), and the old file
  // is then an older state.
  const edge = {
    ...structuredClone(plain),
    id: 'eeeeeeee-0000-4000-8000-000000000001',
    household_id: 'eeeeeeee-0000-4000-8000-000000000002',
    revision: MAX_SAFE - 1,
    lineage: { saves: { elsewhere: MAX_SAFE - 1 }, revision: MAX_SAFE - 1 },
  };
  edge.address = { ...edge.address, village: '边界村' };
  const edgeFile = batch([edge]);
  assert.equal(await importFiles(a.page, [{ name: '边界.json', text: edgeFile }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');
  faults++;
  await edit(a.page, edge.id, '户主联系电话', '13900000005');
  await edit(a.page, edge.id, '户主联系电话', '13900000006');
  const saved = (await exportAll(a.page)).json.records.find((r) => r.id === edge.id);
  assert.equal(saved.revision, MAX_SAFE, 'saturates at 2^53−1');
  assert.ok(saved.lineage.saves.elsewhere === MAX_SAFE - 1);
  if (saved.phone !== '13900000006') lost.push('the edge record phone');
  checked += 2;
  assert.equal(await importFiles(a.page, [{ name: '边界.json', text: edgeFile }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 1');
  faults++;
  const again = (await exportAll(a.page)).json.records.find((r) => r.id === edge.id);
  if (again.phone !== '13900000006') overwritten.push('the edge record');
  checked++;
  ledger.case('a crafted file (same id/other household, huge revision)', { faults, checked, lost, overwritten, told });
  await a.context.close();
});

test('receipt round trip: export → office import → 回执 → 乡镇已接收; an edit → 接收后有修改; 未送达乡镇 N', async () => {
  const cadre = await phone(browser);
  await createHousehold(cadre.page, '额尔和村');
  await createHousehold(cadre.page, '哈力村');
  const notReceived = async (page, n) => {
    await appHome(page);
    await page.locator(`[data-testid="not-received"][data-count="${n}"]`).waitFor();
  };
  await notReceived(cadre.page, 2);
  const sent = await exportAll(cadre.page);
  await cadre.page.waitForFunction(() => [...document.querySelectorAll('li.entry')].every((li) => li.querySelector('.tag.export')));
  assert.ok((await rows(cadre.page)).every((r) => r.tags.some((t) => /^已下载 \d\d-\d\d \d\d:\d\d$/.test(t))), '已下载 with the time');

  const office = await phone(browser);
  assert.equal(await importFiles(office.page, [{ name: sent.name, text: sent.text }]), '新增 2 · 更新 0 · 冲突 0 · 无效 0');
  const [download] = await Promise.all([
    office.page.waitForEvent('download'),
    office.page.getByRole('button', { name: '生成回执' }).click(),
  ]);
  const receiptText = readFileSync(await download.path(), 'utf8');
  const receipt = JSON.parse(receiptText);
  assert.equal(receipt.format, 'ruhu.receipt/1');
  assert.equal(receipt.records.length, 2);
  assert.match(download.suggestedFilename(), /^回执-.*-2条\.json$/);

  let faults = 0;
  let checked = 0;
  const lost = [];
  assert.equal(await importFiles(cadre.page, [{ name: download.suggestedFilename(), text: receiptText }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0');
  assert.match(await cadre.page.locator('.receipt-line').textContent(), /乡镇已接收 2 条/);
  let told = true;
  await notReceived(cadre.page, 0);
  let shown = await rows(cadre.page);
  assert.ok(shown.every((r) => r.tags.includes('乡镇已接收')), JSON.stringify(shown));
  checked += 2;

  // An edit after the receipt: 接收后有修改, and the household counts as not at the township.
  const edited = shown.find((r) => r.village === '哈力村');
  await edit(cadre.page, edited.record, '户主联系电话', '13900000007');
  faults++;
  await notReceived(cadre.page, 1);
  shown = await rows(cadre.page);
  told &&= shown.find((r) => r.record === edited.record).tags.includes('接收后有修改');
  assert.ok(shown.find((r) => r.record !== edited.record).tags.includes('乡镇已接收'));
  checked += 2;
  // The filter: only what has not reached the township.
  await cadre.page.getByRole('button', { name: '只看未送达' }).click();
  await cadre.page.waitForFunction(() => document.querySelectorAll('li.entry').length === 1);
  assert.equal((await rows(cadre.page))[0].record, edited.record);
  await cadre.page.getByRole('button', { name: '显示全部' }).click();
  // The start page's list (its snapshot) says the same.
  await goHome(cadre.page);
  await cadre.page.locator('[data-testid="not-received"][data-count="1"]').waitFor();
  // A new household is not at the township either.
  await createHousehold(cadre.page, '兴仁村');
  await notReceived(cadre.page, 2);
  checked += 2;
  // The same receipt again changes nothing; the edit is kept.
  await importFiles(cadre.page, [{ name: 'again.json', text: receiptText }]);
  faults++;
  await notReceived(cadre.page, 2);
  const now = (await exportAll(cadre.page)).json.records.find((r) => r.id === edited.record);
  if (now.phone !== '13900000007') lost.push('the edit after the receipt');
  checked++;
  ledger.case('receipt round trip and the not-yet-received count', { faults, checked, lost, told });
  await cadre.context.close();
  await office.context.close();
});
