// Import: conflicts kept until resolved, shown side by side and resolved both ways (采用文件 /
// 保留本机: each a new state descending from both), stale
// copies skipped, later states (by lineage) taken, a higher revision alone not; bad files (truncated, wrong format version, not
// JSON, 50 MB of junk) refused by name with a reason, nothing stored changed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launch, phone, createHousehold, exportAll, importFiles, comparable, rows, goHome,
} from '../fixtures/records/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A batch file of one record changed by `change`. */
function batchOf(record, change) {
  const r = structuredClone(record);
  delete r.computed;
  change(r);
  return JSON.stringify({ format: 'ruhu.export/1', exported_at: '2023-03-01T10:00:00+08:00', records: [r] });
}

/** The conflict's rows: path → [ours, theirs]. */
async function conflictRows(conflict) {
  const pairs = await conflict.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.path, tr.querySelector('td.local').textContent, tr.querySelector('td.incoming').textContent]));
  return Object.fromEntries(pairs.map(([p, a, b]) => [p, [a, b]]));
}

test('conflicts: side by side, resolved both ways; stale skipped; a later state taken', async () => {
  const { context, page } = await phone(browser);
  await createHousehold(page, '额尔和村');
  const base = await exportAll(page);
  const record = base.json.records[0];
  assert.equal(record.revision, 2);

  // Same revision, different content: a conflict. Take theirs.
  let summary = await importFiles(page, [{ name: '同版本不同内容.json', text: batchOf(record, (r) => { r.address.village = '别处村'; r.app_extra = { kept: true }; }) }]);
  assert.equal(summary, '新增 0 · 更新 0 · 冲突 1 · 无效 0');
  let conflict = page.locator('#conflicts article.conflict');
  await conflict.waitFor();
  const diff = await conflictRows(conflict);
  assert.deepEqual(diff['address.village'], ['额尔和村', '别处村']);
  assert.ok(await conflict.getByText('同版本不同内容.json').count(), 'the file is named');
  await conflict.getByRole('button', { name: '采用文件' }).click();
  await page.locator('.resolved-note', { hasText: '已采用文件的版本' }).waitFor();
  await page.locator('#conflicts').waitFor({ state: 'detached' });
  await goHome(page);
  let now = (await exportAll(page)).json.records[0];
  assert.equal(now.address.village, '别处村');
  assert.equal(now.revision, 3, 'max(ours, theirs) + 1');
  assert.equal(now.updated_at, record.updated_at, 'otherwise written as it came');
  assert.deepEqual(now.app_extra, { kept: true }, 'unknown keys kept');

  // Lower revision that is none of our states: a conflict. Keep ours.
  summary = await importFiles(page, [{ name: '旧版本.json', text: batchOf(record, (r) => { r.revision = 1; r.address.village = '第三村'; }) }]);
  assert.equal(summary, '新增 0 · 更新 0 · 冲突 1 · 无效 0');
  conflict = page.locator('#conflicts article.conflict');
  await conflict.waitFor();
  assert.deepEqual((await conflictRows(conflict))['address.village'], ['别处村', '第三村']);
  await conflict.getByRole('button', { name: '保留本机' }).click();
  await page.locator('.resolved-note', { hasText: '已保留本机的版本' }).waitFor();
  await page.locator('#conflicts').waitFor({ state: 'detached' });
  await goHome(page);
  const kept = (await exportAll(page)).json;
  assert.equal(kept.records[0].address.village, '别处村');
  assert.equal(kept.records[0].revision, 4, 'keeping ours is a new state above both (max(3, 1) + 1)');

  // Our own earlier state (revision 2) comes back: stale, skipped.
  summary = await importFiles(page, [{ name: base.name, text: base.text }]);
  assert.equal(summary, '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 1');
  assert.equal(await page.locator('article.conflict').count(), 0);

  // A higher revision alone is not a later state (issue 13; before it, this was 更新 1): our
  // resolution is not in its lineage, so it is a conflict.
  summary = await importFiles(page, [{ name: '更高版本号.json', text: batchOf(record, (r) => { r.revision = 9; r.address.village = '更新村'; }) }]);
  assert.equal(summary, '新增 0 · 更新 0 · 冲突 1 · 无效 0');

  // A later state of ours (its lineage descends from ours): taken as it is.
  const ours = kept.records[0];
  const later = (r) => {
    r.revision = 9;
    r.address.village = '更新村';
    r.lineage = { saves: Object.fromEntries(Object.entries(ours.lineage.saves).map(([d, n]) => [d, n + 6])), revision: 9 };
  };
  summary = await importFiles(page, [{ name: '新版本.json', text: batchOf(ours, later) }]);
  assert.equal(summary, '新增 0 · 更新 1 · 冲突 0 · 无效 0');
  await goHome(page);
  const updated = (await exportAll(page)).json.records[0];
  assert.equal(updated.revision, 9);
  assert.equal(updated.address.village, '更新村');
  await context.close();
});

/** The day after an ISO date. */
const nextDay = (date) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

test('after an import the list is the one a reload shows (put in place, not read again)', async () => {
  const { context, page } = await phone(browser);
  await createHousehold(page, '额尔和村');
  await createHousehold(page, '哈力村');
  const base = await exportAll(page);
  const [a, b] = base.json.records.map((r) => { const c = structuredClone(r); delete c.computed; return c; });
  // A higher revision of one, a follow-up visit of the other, and a new household.
  const updated = { ...structuredClone(a), revision: a.revision + 5, phone: '13800000001' };
  const visit = { ...structuredClone(b), id: '0b9c6a9e-0000-4000-8000-00000000000a', previous_id: b.id, visit: { ...b.visit, date: nextDay(b.visit.date) } };
  const added = { ...structuredClone(a), id: '0b9c6a9e-0000-4000-8000-00000000000b', household_id: '0b9c6a9e-0000-4000-8000-00000000000c' };
  added.address = { ...a.address, village: '兴仁村' };
  const summary = await importFiles(page, [{ name: '三条.json', text: JSON.stringify({ format: 'ruhu.export/1', records: [updated, visit, added] }) }]);
  assert.equal(summary, '新增 2 · 更新 1 · 冲突 0 · 无效 0');
  await page.getByTestId('list-count').filter({ hasText: '共 3 户（4 条记录）' }).waitFor();
  const shown = await rows(page);
  assert.equal(shown.find((r) => r.household === b.household_id).record, visit.id, 'the later visit stands for its household');
  assert.equal(shown.find((r) => r.household === a.household_id).export, 'changed', '导出后有修改: the update came after the export');

  await page.reload();
  await goHome(page);
  assert.deepEqual(await rows(page), shown, 'the same rows, in the same order, as read from the store');
  assert.equal(await page.getByTestId('list-count').textContent(), '共 3 户（4 条记录）');

  // 导出全部 right after an import exports the records put in place: those the store holds.
  const another = { ...structuredClone(added), id: '0b9c6a9e-0000-4000-8000-00000000000d', household_id: '0b9c6a9e-0000-4000-8000-00000000000e' };
  assert.equal(await importFiles(page, [{ name: '又一户.json', text: JSON.stringify(another) }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');
  await page.getByTestId('list-count').filter({ hasText: '共 4 户（5 条记录）' }).waitFor();
  const exported = await exportAll(page);
  assert.equal(exported.json.records.length, 5);
  await page.reload();
  await goHome(page);
  assert.deepEqual(comparable((await exportAll(page)).json), comparable(exported.json), 'the same records exported');
  await context.close();
});

test('bad files are refused by name with a reason; nothing stored changes', async () => {
  const { context, page } = await phone(browser);
  await createHousehold(page, '额尔和村');
  await createHousehold(page, '哈力村');
  const before = await exportAll(page);
  const good = JSON.parse(before.text);

  const dir = mkdtempSync(join(tmpdir(), 'ruhu-junk-'));
  const junkPath = join(dir, '垃圾数据.json');
  const junk = Buffer.alloc(50 * 1024 * 1024);
  let x = 0x9e3779b9;
  for (let i = 0; i < junk.length; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    junk.writeUInt32LE(x >>> 0, i);
  }
  junk[0] = 0x80; // not a BOM, not a zip: plain junk
  writeFileSync(junkPath, junk);

  const v2 = structuredClone(good);
  v2.format = 'ruhu.export/2';
  v2.records[0].address.village = '不应写入';
  const cases = [
    { file: { name: '截断.json', text: before.text.slice(0, Math.floor(before.text.length / 2)) }, reason: /文件不完整/ },
    { file: { name: '新版本格式.json', text: JSON.stringify(v2) }, reason: /不支持的格式版本 "ruhu\.export\/2"/ },
    { file: { name: '表格.csv', text: '户主姓名,身份证号\n张伟,150722197208160195\n' }, reason: /不是 JSON 文件/ },
    { file: { name: '垃圾数据.json', path: junkPath }, reason: /不是 UTF-8 编码的文本|不是 JSON/ },
  ];
  for (const { file, reason } of cases) {
    const summary = await importFiles(page, [file]);
    assert.equal(summary, '新增 0 · 更新 0 · 冲突 0 · 无效 1', file.name);
    const refused = page.locator('.import-report li.refused-file');
    assert.equal(await refused.count(), 1);
    const text = await refused.textContent();
    assert.ok(text.startsWith(`${file.name}：`), `names the file: ${text}`);
    assert.match(text, reason);
  }
  await goHome(page);
  const after1 = await exportAll(page);
  assert.deepEqual(comparable(after1.json), comparable(before.json), 'nothing stored changed');

  // A bad file beside a good one: the good one is imported, the bad one refused.
  const extra = structuredClone(good.records[0]);
  extra.id = '0b9c6a9e-0000-4000-8000-000000000001';
  extra.household_id = '0b9c6a9e-0000-4000-8000-000000000002';
  extra.address.village = '兴仁村';
  const summary = await importFiles(page, [
    { name: '好.json', text: JSON.stringify(extra) },
    { name: '坏.json', text: '{"format": "ruhu.household/1", "id": ' },
  ]);
  assert.equal(summary, '新增 1 · 更新 0 · 冲突 0 · 无效 1');
  assert.match(await page.locator('.import-report li.refused-file').textContent(), /^坏\.json：/);
  await goHome(page);
  assert.equal((await rows(page)).length, 3);
  await context.close();
});
