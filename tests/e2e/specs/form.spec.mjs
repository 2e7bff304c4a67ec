// The household form on a 360×740 phone: every section filled (六–八 through a monitored
// category), the live verdict while income is typed, an ID error and the live age/sex at the
// field, skip logic clearing hidden answers, a reload mid-form, an offline reload, finalize
// and reopen; and no request leaves the origin.
//
// Run by `./x.sh e2e` (BASE_URL is the served dist/), or by hand:
//   BASE_URL=http://127.0.0.1:8080/ node --test tests/e2e/specs/form.spec.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { watchCsp } from '../lib/csp.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const ORIGIN = new URL(BASE_URL).origin;

// --- helpers -------------------------------------------------------------------------------

/** A valid 18-character resident ID (GB 11643-1999) for a birth date and a 3-digit sequence. */
function makeId(birth, seq) {
  const first17 = '150722' + birth.replaceAll('-', '') + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Polls until `fn` returns a truthy value (or throws after `ms`). */
async function until(what, fn, ms = 5000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function expectText(locator, pattern, what) {
  await until(what || String(pattern), async () => {
    const t = await textOf(locator);
    return typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t);
  });
}

/** The `#f-…` element of a JSON path (the form's path→DOM-id rule). */
function field(page, path) {
  return page.locator('#f-' + path.replace(/[[.]/g, '-').replace(/]/g, ''));
}

async function answer(page, path, label) {
  const radio = field(page, path).getByRole('radio', { name: label, exact: true });
  await radio.click();
  assert.equal(await radio.getAttribute('aria-checked'), 'true', `${path} = ${label}`);
}

async function checked(page, path, label) {
  return field(page, path).getByRole('radio', { name: label, exact: true }).getAttribute('aria-checked');
}

async function tick(page, path, label) {
  await field(page, path).getByRole('checkbox', { name: label, exact: true }).check();
}

async function type(page, path, text) {
  await field(page, path).locator('input, textarea').first().fill(text);
}

async function valueOf(page, path) {
  return field(page, path).locator('input, textarea, select').first().inputValue();
}

async function saved(page) {
  await until('autosave', async () => (await page.locator('.save-status').getAttribute('data-save-state')) === 'saved');
}

/** Answers every question of member `i` (its card is open). */
async function fillMember(page, i, m) {
  const p = (k) => `members[${i}].${k}`;
  await type(page, p('name'), m.name);
  await answer(page, p('id_type'), '居民身份证');
  await type(page, p('id_number'), m.id);
  // Sex from the ID, one tap (never filled without it).
  await field(page, p('sex')).locator('..').getByRole('button', { name: `按证件号填：${m.sex}` }).click();
  assert.equal(await checked(page, p('sex'), m.sex), 'true');
  await field(page, p('relation')).locator('select').selectOption({ label: m.relation });
  await field(page, p('ethnicity')).getByRole('radio', { name: m.ethnicity }).click();
  await answer(page, p('political'), m.political);
  for (const h of m.health) await tick(page, p('health'), h);
  await field(page, p('education')).locator('select').selectOption({ label: m.education });
  await answer(page, p('labor'), m.labor);
  await answer(page, p('work_area'), m.work);
  const yn = ['medical_insurance', 'critical_illness_insurance', 'medical_assistance', 'dibao', 'tekun', 'pension_insurance', 'relocated'];
  yn.forEach((k, j) => assert.ok(m.yn[j] === '是' || m.yn[j] === '否', k));
  for (let j = 0; j < yn.length; j++) await answer(page, p(yn[j]), m.yn[j]);
}

const MEMBERS = [
  { name: '张伟', birth: '1975-03-12', seq: '011', sex: '男', relation: '户主', ethnicity: '达斡尔族', political: '中共党员', health: ['健康'],
    education: '初中', labor: '普通劳动力', work: '乡（镇）外县内务工', yn: ['是', '是', '否', '否', '否', '是', '否'], age: 47 },
  { name: '李秀兰', birth: '1978-06-20', seq: '022', sex: '女', relation: '配偶', ethnicity: '汉族', political: '群众', health: ['长期慢性病'],
    education: '小学', labor: '弱劳动力或半劳动力', work: '不外出务工', yn: ['是', '是', '是', '否', '否', '是', '否'], age: 44 },
  { name: '张强', birth: '2003-09-01', seq: '031', sex: '男', relation: '之子', ethnicity: '达斡尔族', political: '共青团员', health: ['健康'],
    education: '高中（含中专）', labor: '普通劳动力', work: '县外省内务工', yn: ['是', '是', '否', '否', '否', '否', '否'], age: 19 },
  { name: '张丽', birth: '2012-05-05', seq: '042', sex: '女', relation: '之女', ethnicity: '达斡尔族', political: '群众', health: ['健康'],
    education: '小学', labor: '无劳动力', work: '不外出务工', yn: ['是', '是', '否', '否', '否', '否', '否'], age: 10 },
].map((m) => ({ ...m, id: makeId(m.birth, m.seq) }));

// --- the test ------------------------------------------------------------------------------

test('the whole household form on a 360 px phone', { timeout: 180_000 }, async () => {
  const browser = watchCsp(await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] }));
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const foreign = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(ORIGIN + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // Settings: the surveyor, remembered assessors, the township's villages.
    await page.goto(BASE_URL + '#/settings');
    await page.locator('input[name=surveyor]').fill('李明');
    await page.locator('input[name=surveyor]').press('Tab');
    await page.locator('textarea[name=assessors]').fill('王芳\n赵强');
    await page.locator('textarea[name=assessors]').press('Tab');
    await page.locator('textarea[name=villages]').fill('额尔和村\n西瓦尔图村');
    await page.locator('textarea[name=villages]').press('Tab');

    await page.goto(BASE_URL + '#/');
    await page.getByRole('button', { name: '新建入户' }).click();
    await page.locator('.hh-form').waitFor();
    const recordUrl = page.url();

    // A new form is not a wall of red: unfilled answers are marked, not shouted.
    assert.equal(await page.locator('.q-msg.error[data-code=answer-missing]').count(), 0);
    const bar = page.getByTestId('verdict');
    await expectText(bar, '无风险信号');

    // Tapping a finding in the risk panel goes to its field.
    await page.getByTestId('risk-panel').locator('.risk-bar').click();
    await page.locator('.finding-go', { hasText: '家庭住址的村未填写' }).click();
    await until('focus on 村', () => page.evaluate(() => document.activeElement?.closest('#f-address-village') !== null));
    await expectText(field(page, 'address.village'), '家庭住址的村未填写', 'missing answers revealed at the field');

    // 一、基本信息
    await type(page, 'visit.date', '2023-02-20');
    assert.equal(await valueOf(page, 'visit.period_start'), '2022-02-20', 'the income period follows the visit date');
    assert.equal(await valueOf(page, 'visit.period_end'), '2023-02-20');
    await field(page, 'address.village').getByRole('radio', { name: '额尔和村' }).click();
    assert.equal(await valueOf(page, 'address.village'), '额尔和村');
    await type(page, 'address.group', '三组');
    await answer(page, 'category', '一般农牧户');
    assert.equal(await field(page, 'monitoring.identified_on').count(), 0, 'no identification date for a general household');
    assert.equal(await checked(page, 'resettlement_site', '否'), 'true', 'A2 defaults to 否');
    // The phone keypad (digits, and the hyphen of a landline such as 0470-4612345).
    assert.equal(await field(page, 'phone').locator('input').getAttribute('inputmode'), 'tel');
    await type(page, 'phone', '139123');
    await expectText(field(page, 'phone'), '不是有效的手机号');
    await type(page, 'phone', '13912345678');
    assert.equal(await valueOf(page, 'visit.surveyor'), '李明', '本户排查人 from the settings');
    await field(page, 'visit.assessors').getByRole('button', { name: '+ 王芳' }).click();
    await field(page, 'visit.assessors').getByRole('button', { name: '+ 赵强' }).click();
    await expectText(field(page, 'visit.assessors'), '王芳 ×');

    // 二、家庭成员信息: 4 members; an ID error at the field, then the live birth date, age, sex.
    for (let i = 0; i < MEMBERS.length; i++) {
      await page.getByRole('button', { name: '＋ 添加家庭成员' }).click();
      await field(page, `members[${i}].name`).waitFor();
      if (i === 0) {
        const id = field(page, 'members[0].id_number');
        const wrong = MEMBERS[0].id.slice(0, 17) + (MEMBERS[0].id[17] === '1' ? '2' : '1');
        await type(page, 'members[0].id_number', wrong);
        await expectText(id, '校验码错误', 'the ID error at the field');
        await type(page, 'members[0].id_number', MEMBERS[0].id.slice(0, 12));
        await expectText(id, '身份证号应为18位（现有12位）');
        assert.equal(await id.getByTestId('id-facts').count(), 0);
      }
      await fillMember(page, i, MEMBERS[i]);
      const m = MEMBERS[i];
      await expectText(field(page, `members[${i}].id_number`).getByTestId('id-facts'), `出生日期 ${m.birth} · ${m.age}岁 · ${m.sex}`);
      assert.equal(await field(page, `members[${i}].id_number`).locator('.q-msg.error').count(), 0, 'a valid ID has no error');
    }
    // The X key types the check character at the caret (a 20-character 残疾人证 number).
    await type(page, 'members[3].id_number', MEMBERS[3].id.slice(0, 17));
    await field(page, 'members[3].id_number').getByRole('button', { name: '输入X' }).click();
    assert.equal(await valueOf(page, 'members[3].id_number'), MEMBERS[3].id.slice(0, 17) + 'X');
    await type(page, 'members[3].id_number', MEMBERS[3].id);
    // Cards are compact: the summary says who, and reorders follow.
    await expectText(page.locator('#f-members-1 summary'), `李秀兰 · 配偶 · 女 44岁`);
    await field(page, 'members[3]').getByRole('button', { name: '上移' }).click();
    await expectText(page.locator('#f-members-2 summary'), '张丽');
    await page.locator('#f-members-2').getByRole('button', { name: '下移' }).click();
    await expectText(page.locator('#f-members-3 summary'), '张丽');
    // Remove with undo.
    await page.locator('#f-members-3').getByRole('button', { name: '删除此成员' }).click();
    await expectText(page.locator('.snackbar'), '已删除张丽');
    assert.equal(await page.locator('.hh-members > li').count(), 3);
    await page.locator('.snackbar').getByRole('button', { name: '撤销' }).click();
    await until('member restored', async () => (await page.locator('.hh-members > li').count()) === 4);
    await expectText(page.locator('#f-members-3 summary'), '张丽');

    // 三、收支情况: the verdict follows the income as it is typed.
    await type(page, 'income.production', '3000');
    await type(page, 'income.property', '0');
    await type(page, 'income.transfer', '1200');
    await type(page, 'income.production_cost', '1000');
    const wage = field(page, 'income.wage').locator('input');
    await wage.click();
    await wage.pressSequentially('40000');
    await expectText(bar, /^无风险信号/);
    await expectText(page.getByTestId('a27'), '10,800.00 元 4人');
    await wage.press('Backspace'); // 4000: (3000 + 4000 + 0 + 1200 − 1000) ÷ 4 = 1,800
    await expectText(bar, '有风险 · 建议纳入监测（边缘易致贫户）');
    await expectText(page.getByTestId('a26'), '8,200.00 元');
    await expectText(page.getByTestId('a27'), '1,800.00 元 4人');
    await expectText(page.getByTestId('bar-a27'), 'A27 1,800.00 元');
    // Money keeps what was typed; an invalid amount shows its problem at the field.
    await type(page, 'income.other_expense', '12a');
    await expectText(field(page, 'income.other_expense'), '不是有效的金额');
    assert.equal(await valueOf(page, 'income.other_expense'), '12a');
    await type(page, 'income.other_expense', '1,500');
    assert.equal(await valueOf(page, 'income.other_expense'), '1,500', 'typed text kept as typed');
    await type(page, 'income.other_expense_note', '住院治疗');

    // Reload mid-form: everything typed so far is there.
    await saved(page);
    await page.reload();
    await page.locator('.hh-form').waitFor();
    assert.equal(await valueOf(page, 'address.village'), '额尔和村');
    assert.equal(await valueOf(page, 'phone'), '13912345678');
    assert.equal(await valueOf(page, 'income.wage'), '4000.00');
    assert.equal(await valueOf(page, 'income.other_expense'), '1500.00');
    assert.equal(await checked(page, 'category', '一般农牧户'), 'true');
    await expectText(page.locator('#f-members-0 summary'), '张伟 · 户主 · 男 47岁');
    await expectText(page.locator('#f-members-3 summary'), '张丽 · 之女 · 女 10岁');
    await page.locator('#f-members-1 summary').click();
    assert.equal(await valueOf(page, 'members[1].id_number'), MEMBERS[1].id);
    assert.equal(await checked(page, 'members[1].medical_assistance', '是'), 'true');
    assert.equal(await field(page, 'members[1].health').getByRole('checkbox', { name: '长期慢性病' }).isChecked(), true);

    // 四: skip logic shows the follow-up questions and clears them when hidden.
    await answer(page, 'guarantees.dropout', '否');
    await answer(page, 'guarantees.all_insured', '是');
    await answer(page, 'guarantees.safe_water', '否');
    await tick(page, 'guarantees.water_issues', '水质不达标');
    await answer(page, 'guarantees.safe_water', '是');
    assert.equal(await field(page, 'guarantees.water_issues').count(), 0);
    await answer(page, 'guarantees.safe_water', '否');
    assert.equal(await field(page, 'guarantees.water_issues').getByRole('checkbox', { name: '水质不达标' }).isChecked(), false, 'hidden answers are cleared');
    await answer(page, 'guarantees.safe_water', '是');
    await answer(page, 'guarantees.dangerous_house', '是');
    await answer(page, 'guarantees.house_grade', 'C级');
    await answer(page, 'guarantees.dangerous_house', '否');
    assert.equal(await field(page, 'guarantees.house_grade').count(), 0);

    // 五: the engine's suggestion beside the people's answers, never filled in for them.
    await expectText(page.getByTestId('engine-suggestion'), '建议纳入监测（边缘易致贫户）');
    assert.equal(await checked(page, 'judgement.at_risk', '是'), 'false');
    assert.equal(await checked(page, 'judgement.at_risk', '否'), 'false');
    await answer(page, 'judgement.at_risk', '是');
    await answer(page, 'judgement.identify', '否');
    await field(page, 'judgement.reason').waitFor();
    await answer(page, 'judgement.identify', '是');
    assert.equal(await field(page, 'judgement.reason').count(), 0);
    await page.locator('#f-risk').waitFor();

    // A1 → a monitored category: the identification date appears; 新识别 is not asked.
    await answer(page, 'category', '监测对象 · 边缘易致贫户');
    assert.equal(await field(page, 'judgement.identify').count(), 0);
    await type(page, 'monitoring.identified_on', '2022-06-01');
    await expectText(bar, '有风险 · 已是监测对象');

    // 六: the suggested risk types as one-tap chips; 因自然灾害 opens A33a.
    await page.getByTestId('suggested-risk-types').getByRole('button', { name: '+ 因病' }).click();
    await expectText(field(page, 'risk.types').locator('.check-chip.main'), '因病');
    await tick(page, 'risk.types', '因自然灾害');
    await tick(page, 'risk.disaster_types', '洪涝灾害');

    // 七: items only when the measure is 是; A36's loan.
    await answer(page, 'measures.industry.applied', '是');
    await tick(page, 'measures.industry.items', '产业奖补项目');
    await answer(page, 'measures.employment.applied', '否');
    await answer(page, 'measures.finance.applied', '是');
    await type(page, 'measures.finance.loan_date', '2022-07-01');
    await type(page, 'measures.finance.loan_term_months', '36');
    await type(page, 'measures.finance.loan_amount_wan', '5');
    for (const k of ['ecology', 'public_post', 'education', 'health', 'living', 'infrastructure', 'social_security', 'motivation', 'other']) {
      await answer(page, `measures.${k}.applied`, '否');
    }
    // 八
    await answer(page, 'elimination.eliminated', '否');
    assert.equal(await field(page, 'elimination.method').count(), 0);

    await expectText(page.getByTestId('error-count'), '无错误');
    await saved(page);

    // Offline: the app and the record still open after a reload.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await until('service worker in control', () => page.evaluate(() => !!navigator.serviceWorker.controller), 10000);
    await context.setOffline(true);
    await page.reload();
    await page.locator('.hh-form').waitFor();
    await expectText(page.locator('.editor-title'), '额尔和村 张伟');
    assert.equal(await valueOf(page, 'measures.finance.loan_term_months'), '36');
    assert.equal(await valueOf(page, 'measures.finance.loan_amount_wan'), '5.00');
    assert.equal(await field(page, 'risk.disaster_types').getByRole('checkbox', { name: '洪涝灾害' }).isChecked(), true);
    assert.equal(await checked(page, 'measures.other.applied', '否'), 'true');
    assert.equal(await valueOf(page, 'monitoring.identified_on'), '2022-06-01');

    // Review and finalize; the final record is read-only until 修改.
    await page.goto(recordUrl + '/review');
    await page.locator('.review').waitFor();
    await expectText(page.locator('.review'), '张丽');
    await expectText(page.locator('.review'), 'A27 家庭人均纯收入 1,800.00 元');
    const done = page.getByRole('button', { name: '完成', exact: true });
    assert.equal(await done.isEnabled(), true, '完成 is enabled without errors');
    await done.click();
    await expectText(page.locator('.final-banner'), '本记录已完成');
    await saved(page);
    await page.goto(recordUrl);
    await page.locator('.hh-form').waitFor();
    assert.equal(await field(page, 'phone').locator('input').isDisabled(), true, 'read-only while final');
    await page.locator('.final-banner').getByRole('button', { name: '修改' }).click();
    await until('editable again', () => field(page, 'phone').locator('input').isEnabled());
    await saved(page);
    await context.setOffline(false);

    // A draft with an error cannot be finalized.
    await page.locator('#f-members-0 summary').click();
    await type(page, 'members[0].name', '');
    await page.goto(recordUrl + '/review');
    await page.locator('.review').waitFor();
    assert.equal(await page.getByRole('button', { name: '完成', exact: true }).isDisabled(), true);
    await expectText(page.locator('.finalize'), '还有 1 处错误');

    assert.deepEqual(foreign, [], 'no request left the origin');
    assert.deepEqual(errors, [], 'no page errors');
  } finally {
    await browser.close();
  }
});
