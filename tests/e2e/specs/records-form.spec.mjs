// With the household form: the same ID number typed into a second household is flagged as
// it is typed; a follow-up visit marks the form's changed fields 有变化.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, importFiles, goHome, fixture, waitSaved } from '../fixtures/records/harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an ID number already in another household is flagged as it is typed', async () => {
  const { context, page } = await phone(browser);
  const a = fixture('general-no-risk.json');
  await importFiles(page, [{ name: 'a.json', text: JSON.stringify(a) }]);
  await goHome(page);
  await page.getByRole('button', { name: '新建入户' }).click();
  await page.getByLabel('村', { exact: true }).fill('哈力村');
  await page.getByRole('button', { name: '＋ 添加家庭成员' }).click();
  const field = page.locator('[data-path="members[0].id_number"]');
  await field.getByLabel('居民身份证（残疾人证）号码').fill(a.members[0].id_number.slice(0, 17));
  await page.waitForTimeout(300);
  assert.equal(await field.locator('[data-code="id-number-elsewhere"]').count(), 0, 'not yet: 17 characters');
  await field.getByLabel('居民身份证（残疾人证）号码').fill(a.members[0].id_number);
  const message = field.locator('[data-code="id-number-elsewhere"]');
  await message.waitFor();
  assert.match(await message.textContent(), /也登记在额尔和村张伟户/);
  await waitSaved(page);

  // Back home, both households carry the flag.
  await goHome(page);
  const flagged = await page.locator('li.entry .tag.duplicate').count();
  assert.equal(flagged, 2);
  await context.close();
});

test('a follow-up visit marks the changed fields on the form', async () => {
  const { context, page } = await phone(browser);
  const a = fixture('general-no-risk.json');
  await importFiles(page, [{ name: 'a.json', text: JSON.stringify(a) }]);
  await goHome(page);
  await page.locator(`li.entry[data-household="${a.household_id}"] a.visits-link`).click();
  await page.getByRole('button', { name: '再次入户' }).click();
  await page.locator('details.changes').waitFor();
  const marker = (path) => page.locator(`.editor .q[data-path="${path}"]`).first()
    .evaluate((e) => getComputedStyle(e.firstElementChild, '::after').content);
  assert.equal(await marker('income.wage'), '"有变化"', 'cleared income differs from the last visit');
  assert.equal(await marker('address.village'), 'none');
  await page.getByLabel('村', { exact: true }).fill('霍日里村');
  await page.locator('details.changes li[data-change="address.village"]').waitFor();
  assert.equal(await marker('address.village'), '"有变化"');
  await context.close();
});
