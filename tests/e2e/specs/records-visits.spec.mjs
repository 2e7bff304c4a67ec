// A household across visits: 再次入户 prefilled from the latest visit with what changed
// marked 有变化; the saved states of a record and 恢复此版本; the same ID number in two
// households flagged in both.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, phone, createHousehold, importFiles, rows, goHome, waitSaved, fixture, BASE_URL,
} from '../fixtures/records/harness.mjs';
import { smallTargets } from '../lib/app.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('再次入户: a new visit of the same household, changes marked', async () => {
  const { context, page } = await phone(browser);
  const first = fixture('general-no-risk.json');
  assert.equal(await importFiles(page, [{ name: 'general-no-risk.json', text: JSON.stringify(first) }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');
  await goHome(page);
  await page.locator(`li.entry[data-household="${first.household_id}"] a.visits-link`).click();
  await page.getByRole('heading', { name: '额尔和村 张伟户' }).waitFor();
  await page.getByText('入户记录（1 次）').waitFor();
  await page.getByRole('button', { name: '再次入户' }).click();

  // The editor of a new record of the same household.
  await page.waitForURL((u) => u.hash.startsWith('#/h/') && !u.hash.includes(first.id));
  const newId = new URL(page.url()).hash.slice('#/h/'.length);
  const changes = page.locator('details.changes');
  await changes.getByText('与上次入户（').waitFor();
  assert.ok(await changes.getByRole('link', { name: '2023-02-20' }).count(), 'names the previous visit');
  // Income and judgement belong to the new visit: asked again, so they differ for now.
  const paths = async () => changes.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.change));
  const initial = await paths();
  assert.ok(initial.includes('income.wage'), JSON.stringify(initial));
  assert.ok(!initial.includes('address.village'));
  assert.ok(initial.every((p) => p.startsWith('income.') || p.startsWith('judgement.')), JSON.stringify(initial));

  await page.getByLabel('村', { exact: true }).fill('哈力村');
  await changes.locator('li[data-change="address.village"]').waitFor();
  assert.match(await changes.locator('li[data-change="address.village"]').textContent(), /村.*有变化/);
  // The form's own fields are marked through their data-path by the generated style sheet
  // (adopted through CSSOM: the page's Content-Security-Policy blocks <style> elements).
  await page.waitForFunction(() => document.adoptedStyleSheets.some((s) => [...s.cssRules].some((r) => r.cssText.includes('address.village'))));
  const sheet = await page.evaluate(() => document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n'));
  assert.ok(sheet.includes('.editor [data-path="address.village"]'), sheet.slice(0, 200));
  assert.ok(sheet.includes('.editor [data-path="income.wage"]'));
  assert.ok(!sheet.includes('members[0]'), 'unchanged members are not marked');
  await waitSaved(page);

  await goHome(page);
  const listed = await rows(page);
  assert.equal(listed.length, 1, 'one household');
  assert.equal(listed[0].record, newId, 'its latest visit is the new one');
  assert.equal(listed[0].village, '哈力村');
  assert.match(await page.locator('li.entry a.visits-link').textContent(), /2 次入户/);
  await page.locator('li.entry a.visits-link').click();
  await page.getByText('入户记录（2 次）').waitFor();
  const visits = await page.locator('li.visit').evaluateAll((lis) => lis.map((li) => li.dataset.record));
  assert.deepEqual(visits, [first.id, newId], 'visits in order');
  // 打开 / 历史版本 / 导出 and the back link are thumb-sized on a phone.
  assert.deepEqual(await smallTargets(page), [], 'household page: controls under 44 px');
  await context.close();
});

test('history: saved states, 恢复此版本 is a new revision', async () => {
  const { context, page } = await phone(browser);
  await createHousehold(page, '甲村');
  const [row] = await rows(page);
  await page.locator(`li.entry[data-household="${row.household}"] a.record-link`).click();
  for (const v of ['乙村', '丙村']) {
    await page.getByLabel('村', { exact: true }).fill(v);
    await waitSaved(page);
  }
  await page.goto(new URL(`#/h/${row.record}/history`, BASE_URL).href);
  await page.getByRole('heading', { name: '历史版本' }).waitFor();
  const revisions = async () => page.locator('li.state').evaluateAll((lis) => lis.map((li) => Number(li.dataset.revision)));
  assert.deepEqual(await revisions(), [4, 3, 2, 1]);
  assert.ok(await page.locator('li.state[data-revision="4"]').getByText('当前版本').count());
  assert.equal(await page.locator('li.state[data-revision="4"]').getByRole('button', { name: '恢复此版本' }).count(), 0);
  assert.match(await page.locator('li.state[data-revision="3"]').textContent(), /改了 村：甲村 → 乙村/);

  await page.locator('li.state[data-revision="2"]').getByRole('button', { name: '恢复此版本' }).click();
  await page.getByText('已恢复第 2 版的内容，保存为第 5 版。').waitFor();
  await page.locator('li.state[data-revision="5"]').waitFor();
  assert.deepEqual(await revisions(), [5, 4, 3, 2, 1], 'nothing lost: the state restored over stays');
  assert.deepEqual(await smallTargets(page), [], 'history: controls under 44 px (恢复此版本, ‹ 返回记录)');

  await page.goto(new URL(`#/h/${row.record}`, BASE_URL).href);
  await page.getByLabel('村', { exact: true }).waitFor();
  assert.equal(await page.getByLabel('村', { exact: true }).inputValue(), '甲村');
  await context.close();
});

test('the same ID number in two households is flagged in both', async () => {
  const { context, page } = await phone(browser);
  const a = fixture('general-no-risk.json');
  const b = structuredClone(fixture('serious-illness.json'));
  const shared = a.members[0].id_number;
  // b lists 张伟 too (a brother who moved in, or a number copied wrongly).
  b.members.push({ ...structuredClone(a.members[0]), id: '5d0c2a4e-1f55-4d7e-9c61-0a6f1c2b3d4e', relation: 'sibling' });
  const summary = await importFiles(page, [
    { name: 'a.json', text: JSON.stringify(a) },
    { name: 'b.json', text: JSON.stringify(b) },
  ]);
  assert.equal(summary, '新增 2 · 更新 0 · 冲突 0 · 无效 0');
  const note = page.locator('.import-report .shared li');
  assert.equal(await note.count(), 1);
  assert.match(await note.textContent(), new RegExp(`张伟（${shared}）同时登记在：.*额尔和村张伟户`));
  assert.match(await note.textContent(), /霍日里村郭建华户/);

  await goHome(page);
  const listed = await rows(page);
  assert.equal(listed.length, 2);
  for (const r of listed) assert.ok(r.tags.includes('身份证号重复'), `${r.title}: ${r.tags}`);
  // The filter finds both; a third household without the person is not flagged.
  await createHousehold(page, '兴仁村');
  await page.getByLabel('身份证号重复').check();
  await page.getByText('共 3 户，符合条件 2 户').waitFor();
  await context.close();
});
