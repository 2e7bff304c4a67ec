// Export all → a fresh phone (empty IndexedDB and localStorage) → import → export again:
// the same file but for `exported_at`. Exporting marks records (已导出), changes nothing in
// them, and a later edit shows 导出后有修改.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, phone, createHousehold, exportAll, exportVia, importFiles, comparable, rows, goHome, waitSaved,
} from '../fixtures/records/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('export all, import on a fresh phone, export again: equal', async () => {
  const a = await phone(browser);
  for (const v of ['额尔和村', '哈力村', '兴仁村']) await createHousehold(a.page, v);
  const listed = await rows(a.page);
  assert.equal(listed.length, 3);
  assert.deepEqual(listed.map((r) => r.village).sort(), ['兴仁村', '哈力村', '额尔和村']);
  assert.ok(listed.every((r) => r.export === 'never'));

  const first = await exportAll(a.page);
  assert.match(first.name, /^额尔和乡-\d{4}-\d\d-\d\d-3户\.json$/);
  assert.equal(first.json.format, 'ruhu.export/1');
  assert.ok(first.json.policy && first.json.policy.monitoring_line, 'the batch names its policy');
  assert.equal(first.json.records.length, 3);
  for (const r of first.json.records) {
    assert.equal(r.format, 'ruhu.household/1');
    assert.ok(r.computed && r.computed.evaluation, 'each record has its computed block');
    assert.equal(r.computed.evaluation.record_id, r.id);
    assert.ok(r.revision >= 2, 'the village was saved');
  }

  // Marks: 已导出 on every row; exporting again gives the same records (nothing changed).
  await goHome(a.page);
  assert.ok((await rows(a.page)).every((r) => r.export === 'exported'), 'every row is marked 已导出');
  const again = await exportAll(a.page);
  assert.deepEqual(comparable(again.json), comparable(first.json), 'exporting changed no record');

  // A fresh phone: nothing there, import the file.
  const b = await phone(browser);
  assert.equal((await rows(b.page)).length, 0);
  const summary = await importFiles(b.page, [{ name: first.name, text: first.text }]);
  assert.equal(summary, '新增 3 · 更新 0 · 冲突 0 · 无效 0');
  await goHome(b.page);
  assert.equal((await rows(b.page)).length, 3);
  const back = await exportAll(b.page);
  assert.deepEqual(comparable(back.json), comparable(first.json), 'the round trip keeps every record as it was');
  assert.equal(back.name, first.name);

  // The same file again changes nothing.
  assert.equal(await importFiles(b.page, [{ name: first.name, text: first.text }]), '新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 3');

  // An edit after the export: 导出后有修改 on that row only.
  const target = (await rows(b.page)).find((r) => r.village === '哈力村');
  await b.page.locator(`li.entry[data-household="${target.household}"] a.record-link`).click();
  await b.page.getByLabel('村', { exact: true }).fill('哈力村二组');
  await waitSaved(b.page);
  await goHome(b.page);
  const after = await rows(b.page);
  assert.equal(after.find((r) => r.household === target.household).export, 'changed');
  assert.ok(after.find((r) => r.household === target.household).tags.includes('导出后有修改'));
  assert.equal(after.filter((r) => r.export === 'exported').length, 2);

  await a.context.close();
  await b.context.close();
});

test('export one village, a selection, one household', async () => {
  const a = await phone(browser);
  for (const v of ['额尔和村', '额尔和村', '哈力村']) await createHousehold(a.page, v);

  const village = a.page.locator('section.village[data-village="额尔和村"]');
  const one = await exportVia(a.page, village.getByRole('button', { name: '导出本村' }));
  assert.match(one.name, /^额尔和乡-额尔和村-\d{4}-\d\d-\d\d-2户\.json$/);
  assert.deepEqual(one.json.records.map((r) => r.address.village), ['额尔和村', '额尔和村']);

  await goHome(a.page);
  await a.page.getByRole('button', { name: '选择', exact: true }).click();
  // (On the start page, 选择 opens the full app's list in selection mode.)
  await a.page.getByRole('button', { name: '取消选择', exact: true }).waitFor();
  const [first] = await rows(a.page);
  await a.page.locator(`li.entry[data-household="${first.household}"] input[type="checkbox"]`).check();
  await a.page.getByText('已选 1 户').waitFor();
  const selected = await exportVia(a.page, a.page.getByRole('button', { name: '导出所选' }));
  assert.equal(selected.json.records.length, 1);
  assert.equal(selected.json.records[0].household_id, first.household);

  // One household's page: 导出本户.
  await goHome(a.page);
  const hh = (await rows(a.page)).find((r) => r.village === '哈力村');
  await a.page.locator(`li.entry[data-household="${hh.household}"] a.visits-link`).click();
  const own = await exportVia(a.page, a.page.getByRole('button', { name: '导出本户' }));
  assert.deepEqual(own.json.records.map((r) => r.household_id), [hh.household]);
  await a.context.close();
});

test('分享: where files can be shared the file goes to the share sheet, else a note', async () => {
  // This Chromium cannot share files: no 分享 button, a note on sending the download instead.
  const plain = await phone(browser);
  await createHousehold(plain.page, '额尔和村');
  await exportAll(plain.page);
  const card = plain.page.locator('.export-result');
  assert.equal(await card.getByRole('button', { name: '分享' }).count(), 0);
  assert.match(await card.textContent(), /此浏览器不能直接分享文件/);
  await plain.context.close();

  // A browser that can (as Android Chrome): the Web Share API gets the same file.
  const sharing = await phone(browser);
  await sharing.context.addInitScript(() => {
    navigator.canShare = (data) => Array.isArray(data?.files) && data.files.every((f) => f instanceof File);
    navigator.share = async (data) => {
      const f = data.files[0];
      window.__shared = { name: f.name, type: f.type, text: await f.text(), title: data.title };
    };
  });
  await sharing.page.reload();
  await createHousehold(sharing.page, '哈力村');
  const exported = await exportAll(sharing.page);
  // The download is marked 已下载 (the file was handed to the browser) …
  await sharing.page.locator('li.entry .tag.export', { hasText: /^已下载 \d\d-\d\d \d\d:\d\d$/ }).waitFor();
  await sharing.page.locator('.export-result').getByRole('button', { name: '分享' }).click();
  await sharing.page.locator('.export-result').getByText('已分享', { exact: true }).waitFor();
  const shared = await sharing.page.evaluate(() => window.__shared);
  // Shared as .txt (Android Chromium shares no .json), the very JSON that was downloaded.
  assert.equal(shared.name, exported.name.replace(/\.json$/, '.txt'));
  assert.equal(shared.type, 'text/plain');
  assert.equal(shared.text, exported.text, 'the very file that was downloaded');
  // … and 已分享 once the share sheet completed.
  await sharing.page.locator('li.entry .tag.export', { hasText: /^已分享 \d\d-\d\d \d\d:\d\d$/ }).waitFor();

  // A share sheet closed without sending marks nothing more.
  const cancelling = await phone(browser);
  await cancelling.context.addInitScript(() => {
    navigator.canShare = (data) => Array.isArray(data?.files) && data.files.every((f) => f instanceof File);
    navigator.share = async () => { throw new DOMException('closed', 'AbortError'); };
  });
  await cancelling.page.reload();
  await createHousehold(cancelling.page, '兴仁村');
  await exportAll(cancelling.page);
  await cancelling.page.locator('.export-result').getByRole('button', { name: '分享' }).click();
  await cancelling.page.getByText('已取消分享').waitFor();
  await cancelling.page.waitForTimeout(300);
  assert.match(await cancelling.page.locator('li.entry .tag.export').textContent(), /^已下载 /);
  await cancelling.context.close();
  await sharing.context.close();
});
