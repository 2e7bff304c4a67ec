// The township office's pages (issue 5) in Chromium, on the 200-household fixture of 5 villages
// (tests/e2e/fixtures/township-200.json, written by `cargo run --example township-fixture`).
// Every expected figure and ledger is computed here from the fixture's records
// (tests/e2e/lib/township.mjs), never read from the app.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  BASE_URL,
  KEY_GROUPS,
  RISK_CODES,
  count,
  expected,
  households,
  incomeFigures,
  keyGroups,
  launch,
  parseCsv,
  riskCodes,
  seededPage,
  settingsFor,
  storedRecords,
} from '../lib/township.mjs';
import { smallTargets } from '../lib/app.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, '..', 'test-results');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'fixtures', 'township-200.json'), 'utf8'));
const RECORDS = storedRecords(FIXTURE.records);
const POLICY = FIXTURE.policy; // 2023, line 7000
const EXP = expected(RECORDS, POLICY);
const TOWNSHIP = '额尔和乡';
// The township office's pages are their own page (and wasm bundle) beside the surveyor's.
const OFFICE = `${BASE_URL}office.html`;
const CATEGORIES = ['general', 'exited_supported', 'exited_unsupported', 'monitored_unstable', 'monitored_marginal', 'monitored_hardship'];

const FIGURES = [
  'households',
  'people',
  ...CATEGORIES.map((c) => `category:${c}`),
  'exited',
  'monitored',
  'monitored_people',
  'identify_suggested',
  'identify_decided',
  'at_risk',
  ...RISK_CODES.map((c) => `risk:${c}`),
  'near_line',
  ...KEY_GROUPS.map((g) => `key_group:${g}`),
  'key_group_people',
  'key_group_households',
  'eliminated',
  'eliminated_assisted',
  'eliminated_natural',
  'eliminated_unmarked',
  'not_eliminated',
  'ledger:special-archive',
  'ledger:verification',
  'unresolved_over_year',
  'development_missing',
  'ledger:monitoring',
];

const FRONT = ['序号', '村', '村民小组', '户主', '身份证号', '人口', '户属性'];
const BACK = ['排查人', '走访日期'];
const HEADERS = {
  'special-archive': [...FRONT, '重点人群成员', '重点人群类别', '家庭人均纯收入（元）', '是否存在致贫返贫风险', '系统研判', '研判结果', '未纳入原因', '风险研判人', '佐证材料', ...BACK],
  verification: [...FRONT, '核查事项', '取消或降低低保', '未参保人员', '住房安全', '饮水安全', '受灾情况', '上次走访日期', ...BACK],
  unresolved: [...FRONT, '识别时间', '监测时长（月）', '风险类型', '有劳动能力人数', '已落实帮扶措施', '核查事项', '家庭人均纯收入（元）', ...BACK],
  monitoring: [...FRONT, '识别时间', '监测时长（月）', '风险类型', '自然灾害类型', '帮扶措施', '风险是否消除', '消除方式', '系统标注消除', '家庭人均纯收入（元）', ...BACK],
};
const FILE_TITLES = {
  'special-archive': '一般农户特殊档案',
  verification: '信息核实核查台账',
  unresolved: '监测对象帮扶核查台账',
  monitoring: '监测对象台账',
};

let browser;
before(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A page with the fixture stored and the 2023 policy confirmed in the settings. */
async function township(route = '#/township') {
  const s = await seededPage(browser, FIXTURE.records, settingsFor(POLICY));
  await s.page.goto(OFFICE + route);
  return s;
}

const sorted = (xs) => [...xs].sort();

/** Opens the list behind a table cell and returns its household ids (every page of it). */
async function drill(page, selector) {
  await page.locator(`${selector} button`).click();
  const list = page.locator('[data-testid=figure-list]');
  await list.waitFor();
  for (;;) {
    const more = list.locator('button', { hasText: '再显示' });
    if ((await more.count()) === 0) break;
    await more.click();
  }
  return list.locator('li[data-household]').evaluateAll((lis) => lis.map((li) => li.dataset.household));
}

test('dashboard: figures per village and for the township, computed once, with their households', async () => {
  // The JS rules above agree with the engine's own results written into the fixture (if this
  // fails after an engine change, regenerate the fixture: cargo run --example township-fixture).
  const engine = new Map(FIXTURE.records.map((r) => [`${r.id}/${r.revision}`, r.computed.evaluation]));
  for (const { record: h } of EXP.entries) {
    const ev = engine.get(`${h.id}/${h.revision}`);
    const risks = ev.findings.filter((f) => f.severity === 'risk').map((f) => f.code);
    assert.deepEqual(sorted(riskCodes(h, 700000)), sorted(risks), `risks of ${h.id}`);
    assert.deepEqual(
      keyGroups(h).map((g) => [g.member.id, g.groups]),
      ev.key_groups.map((g) => [g.member_id, g.groups]),
      `key groups of ${h.id}`,
    );
  }

  const { context, page, errors } = await township();
  await page.locator('[data-testid=village-table]').waitFor();

  // Columns: the villages in order, then the township.
  const heads = await page.locator('[data-testid=village-table] thead th').allTextContents();
  assert.deepEqual(heads, ['指标', ...EXP.villages, `${TOWNSHIP}合计`]);
  assert.equal(EXP.villages.length, 5);
  assert.match(await page.getByTestId('township-count').textContent(), /额尔和乡 · 200 户/);
  assert.match(await page.getByTestId('township-policy').textContent(), /2023 年 7,000\.00 元\/人·年（已核对）/);

  // Every figure of every village and of the township.
  const cells = await page.$$eval('td[data-figure]', (tds) =>
    tds.map((td) => ({ key: td.dataset.figure, village: td.dataset.village ?? '*', text: td.textContent.trim() })),
  );
  const shown = new Map(cells.map((c) => [`${c.village}|${c.key}`, Number(c.text)]));
  let checked = 0;
  for (const key of FIGURES) {
    for (const v of [...EXP.villages, '*']) {
      assert.equal(shown.get(`${v}|${key}`), count(EXP, v, key), `${v === '*' ? TOWNSHIP : v} · ${key}`);
      checked++;
    }
  }
  assert.equal(checked, FIGURES.length * 6);
  assert.equal(shown.get('*|households'), 200);
  // Records that cannot be final, as the engine judged them when the fixture was written.
  const incomplete = EXP.entries.filter(({ record: h }) => !engine.get(`${h.id}/${h.revision}`).can_finalize).length;
  assert.equal(shown.get('*|incomplete'), incomplete);
  // The figures are not trivial: each block has something in it.
  for (const key of ['monitored', 'identify_suggested', 'risk:income-below-line', 'key_group:chronic', 'eliminated', 'ledger:verification']) {
    assert.ok(count(EXP, '*', key) > 0, key);
  }

  // Tapping a figure lists exactly its households, each linking to its record.
  const marginal = await drill(page, 'td[data-figure="category:monitored_marginal"][data-total]');
  assert.deepEqual(sorted(marginal), sorted(households(EXP, '*', 'category:monitored_marginal')));
  const firstLink = await page.locator('[data-testid=figure-list] li a.record-link').first().getAttribute('href');
  assert.equal(firstLink, `app.html#/h/${EXP.heads.get(marginal[0]).record}`);

  const village = EXP.villages.find((v) => count(EXP, v, 'risk:income-below-line') > 0);
  const below = await drill(page, `td[data-figure="risk:income-below-line"][data-village="${village}"]`);
  assert.deepEqual(sorted(below), sorted(households(EXP, village, 'risk:income-below-line')));
  assert.match(await page.locator('[data-testid=figure-list] h2').textContent(), new RegExp(`${village} · 人均纯收入低于监测标准`));

  const chronic = await drill(page, 'td[data-figure="key_group:chronic"][data-total]');
  assert.deepEqual(sorted(chronic), sorted(households(EXP, '*', 'key_group:chronic')));
  assert.match(
    await page.locator('[data-testid=figure-list] h2').textContent(),
    new RegExp(`${count(EXP, '*', 'key_group:chronic')} 人，${households(EXP, '*', 'key_group:chronic').size} 户`),
  );

  const everyone = await drill(page, 'td[data-figure="households"][data-total]');
  assert.equal(everyone.length, 200, 'the whole list, past the first page');
  assert.deepEqual(sorted(everyone), sorted(EXP.entries.map((e) => e.record.household_id)));

  // The charts: a bar segment lists its village's households of that category; a dot its household.
  const bar = page.locator('[data-chart=village-bars] rect[data-village][data-category]').first();
  const [bv, bc] = [await bar.getAttribute('data-village'), await bar.getAttribute('data-category')];
  await bar.dispatchEvent('click');
  await page.locator(`[data-testid=figure-list][data-figure="category:${bc}"][data-village="${bv}"]`).waitFor();
  const barList = await page.locator('[data-testid=figure-list] li[data-household]').evaluateAll((l) => l.map((x) => x.dataset.household));
  assert.deepEqual(sorted(barList), sorted(households(EXP, bv, `category:${bc}`)));
  const dots = page.locator('[data-chart=income-strip] circle[data-household]');
  const withIncome = EXP.entries.filter(({ record }) => !Number.isNaN(incomeFigures(record).pc)).length;
  assert.equal(await dots.count(), withIncome, 'one dot per household with a per-capita income');
  const dot = dots.nth(7);
  const dotId = await dot.getAttribute('data-household');
  await dot.dispatchEvent('click');
  await page.locator(`[data-testid=figure-list][data-figure="household:${dotId}"]`).waitFor();
  assert.deepEqual(await page.locator('[data-testid=figure-list] li[data-household]').evaluateAll((l) => l.map((x) => x.dataset.household)), [dotId]);
  // The monitoring line in the chart is the policy's.
  assert.match(await page.locator('[data-chart=income-strip] svg > title').textContent(), /7000元/);

  // Computed once per load: tabs re-use it.
  const computedMarks = () => page.evaluate(() => performance.getEntriesByName('township-computed').length);
  assert.equal(await computedMarks(), 1);
  await page.getByRole('link', { name: '台账' }).click();
  await page.locator('table.ledger').waitFor();
  await page.getByRole('link', { name: '季度报告' }).click();
  await page.getByTestId('report').waitFor();
  await page.getByRole('link', { name: '汇总', exact: true }).first().click();
  await page.locator('[data-testid=village-table]').waitFor();
  assert.equal(await computedMarks(), 1, 'switching tabs does not recompute');

  assert.deepEqual(errors, []);
  await context.close();
});

test('ledgers: exactly the expected households, in order, and their CSV', async () => {
  const { context, page, errors } = await township('#/township/ledgers');
  for (const code of ['special-archive', 'verification', 'unresolved', 'monitoring']) {
    await page.goto(`${OFFICE}#/township/ledgers/${code}`);
    const table = page.locator(`table.ledger[data-ledger="${code}"]`);
    await table.waitFor();
    const want = EXP.ledgers[code];
    assert.ok(want.length > 0, code);
    assert.equal(Number(await page.locator(`a[data-ledger-link="${code}"] .count`).textContent()), want.length);

    // On screen: the rows, in ledger order (village, 村民小组, head), with village, head and ID.
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.dataset.household, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
    );
    assert.deepEqual(rows.map((r) => r.id), want, `${code}: households and order`);
    for (const r of rows) {
      const h = EXP.heads.get(r.id);
      assert.deepEqual([r.cells[1], r.cells[3], r.cells[4]], [h.village, h.head, h.idNumber], code);
    }
    assert.deepEqual(await table.locator('thead th').allTextContents(), [...HEADERS[code], '入户表']);

    // The CSV download: BOM, the header, one row per household.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=csv]').click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^${TOWNSHIP}-${FILE_TITLES[code]}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text.replace(/"[^"]*"/g, '')), 'CRLF line ends');
    const csv = parseCsv(text);
    assert.deepEqual(csv[0], HEADERS[code]);
    assert.equal(csv.length - 1, want.length, `${code}: one row per household`);
    csv.slice(1).forEach((row, i) => {
      const h = EXP.heads.get(want[i]);
      assert.equal(row[0], String(i + 1));
      assert.deepEqual([row[1], row[3], row[4]], [h.village, h.head, `="${h.idNumber}"`], `${code} row ${i + 1}`);
      assert.equal(row.length, HEADERS[code].length);
    });
    fs.writeFileSync(path.join(RESULTS, download.suggestedFilename()), bytes);
  }

  // Ledger (b) widened to every household (a recomputation, not a filter of the screen).
  await page.goto(`${OFFICE}#/township/ledgers/verification`);
  await page.locator('input[name=verification-all]').check();
  await page.waitForFunction((n) => document.querySelectorAll('table.ledger tbody tr').length === n, EXP.ledgers.verificationAll.length);
  const all = await page.locator('table.ledger tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.household));
  assert.deepEqual(all, EXP.ledgers.verificationAll);
  assert.ok(all.length > EXP.ledgers.verification.length);

  // On a phone the tabs, the four ledger switches, the figures and the buttons are thumb-sized.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${OFFICE}#/township/ledgers/monitoring`);
  await page.locator('table.ledger[data-ledger="monitoring"]').waitFor();
  assert.deepEqual(await smallTargets(page), [], 'ledgers: controls under 44 px');
  await page.goto(`${OFFICE}#/township`);
  await page.locator('button.fig').first().waitFor();
  assert.deepEqual(await smallTargets(page), [], 'summary: controls under 44 px');
  // The table scrolled sideways keeps its group names (核查情况, 户属性, …) in view.
  const scroller = page.locator('.table-scroll').first();
  await scroller.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  assert.ok(await scroller.evaluate((el) => el.scrollLeft > 0), 'the summary table scrolls sideways at 360 px');
  const [label, frame] = [await page.locator('tr.group .group-label').first().boundingBox(), await scroller.boundingBox()];
  assert.ok(label.x >= frame.x, `group name cut off: ${label.x} < ${frame.x}`);
  // The list behind a figure: its 关闭 stays one line beside the heading.
  await page.locator('td[data-figure][data-total] button').first().click();
  const close = await page.getByTestId('figure-list').getByRole('button', { name: '关闭' }).boundingBox();
  assert.ok(close.height < 50 && close.width > close.height, `关闭 squeezed: ${JSON.stringify(close)}`);

  assert.deepEqual(errors, []);
  await context.close();
});

test('quarterly report: the figures, the kept text, the text export', async () => {
  const { context, page, errors } = await township('#/township/report');
  const report = page.getByTestId('report');
  await report.waitFor();
  const text = await report.innerText();
  const c = (key) => count(EXP, '*', key);
  for (const want of [
    '额尔和乡2023年一季度防返贫监测和帮扶重点核查工作报告',
    `本季度共核查农牧户 200 户 ${c('people')} 人`,
    `一般农牧户 ${c('category:general')} 户，脱贫户 ${c('exited')} 户`,
    `监测对象 ${c('monitored')} 户 ${c('monitored_people')} 人`,
    `排查重点人群 ${c('key_group_people')} 人（涉及 ${c('key_group_households')} 户）`,
    `重点人群未纳入监测的 ${c('ledger:special-archive')} 户`,
    `发现存在致贫返贫风险信号的农户 ${c('at_risk')} 户`,
    `列入信息核实核查台账 ${c('ledger:verification')} 户`,
    `家庭人均纯收入低于监测标准的 ${c('below_line')} 户，处于预警区间（8400 元以下）的 ${c('near_line')} 户`,
    `建议纳入监测 ${c('identify_suggested')} 户；经村“两委”和驻村工作队研判，拟新识别纳入监测 ${c('identify_decided')} 户`,
    `已消除风险 ${c('eliminated')} 户（帮扶消除 ${c('eliminated_assisted')} 户、自然消除 ${c('eliminated_natural')} 户）`,
    `未消除风险的监测对象 ${c('not_eliminated')} 户`,
    `识别1年以上仍未消除风险的监测对象（兜底户除外）${c('unresolved_over_year')} 户`,
    '一、重点核查基本情况',
    '二、动态管理情况',
    '三、典型经验做法',
    '四、存在问题及建议',
    '五、下一步工作计划',
  ]) {
    assert.ok(text.includes(want), `the report says: ${want}\n---\n${text}`);
  }
  for (const v of EXP.villages) {
    assert.ok(text.includes(`${v} ${count(EXP, v, 'households')} 户（监测对象 ${count(EXP, v, 'monitored')} 户，有风险信号 ${count(EXP, v, 'at_risk')} 户）`), v);
  }

  // The office's text is kept on the device, per quarter and unit, and survives a reload.
  const words = '村“两委”和驻村工作队分片包户，逐户核对“三保障”和饮水安全。';
  await page.locator('textarea[name=text-experience]').fill(words);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('ruhu.report:2023-Q1:')));
  assert.equal(stored.format, 'ruhu.report-edits/1');
  assert.equal(stored.texts.experience, words);
  await page.reload();
  await page.locator('textarea[name=text-experience]').waitFor();
  assert.equal(await page.locator('textarea[name=text-experience]').inputValue(), words);

  // A village's report: its own figures and its own (empty) text.
  const village = EXP.villages[1];
  await page.locator('select[name=unit]').selectOption(village);
  await page.waitForFunction((t) => document.querySelector('[data-testid=report] .report-title').textContent.startsWith(t), village);
  const vt = await report.innerText();
  assert.ok(vt.includes(`本季度共核查农牧户 ${count(EXP, village, 'households')} 户 ${count(EXP, village, 'people')} 人`), vt);
  assert.ok(vt.includes(`${village}村民委员会`));
  assert.equal(await page.locator('textarea[name=text-experience]').inputValue(), '');
  await page.locator('select[name=unit]').selectOption('');
  await page.waitForFunction(() => document.querySelector('textarea[name=text-experience]').value.length > 0);

  // Text export: UTF-8 with BOM, CRLF, the figures and the office's words.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=txt]').click()]);
  assert.match(download.suggestedFilename(), /^额尔和乡2023年一季度防返贫监测和帮扶重点核查工作报告-\d{4}-\d{2}-\d{2}\.txt$/);
  const bytes = fs.readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const txt = bytes.subarray(3).toString('utf8');
  assert.ok(txt.startsWith('额尔和乡2023年一季度防返贫监测和帮扶重点核查工作报告\r\n'));
  assert.ok(txt.includes(`本季度共核查农牧户 200 户 ${c('people')} 人`));
  assert.ok(txt.includes(`\u3000\u3000三、典型经验做法\r\n\u3000\u3000${words}\r\n`));
  assert.ok(!/[^\r]\n/.test(txt), 'CRLF only');
  fs.writeFileSync(path.join(RESULTS, 'township-report.txt'), bytes);

  // Printed: the text boxes give way to the text.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('textarea[name=text-experience]').isVisible(), false);
  assert.equal(await page.locator('[data-testid=report] .report-section[data-section=experience] .para.text').innerText(), words);
  assert.equal(await page.locator('.topbar').isVisible(), false);
  await page.screenshot({ path: path.join(RESULTS, 'township-print-report.png'), fullPage: true });

  assert.deepEqual(errors, []);
  await context.close();
});

test('print: a record on A4 like the paper form, and ledgers without the app around them', async () => {
  const { context, page, errors } = await township();
  await page.locator('[data-testid=village-table]').waitFor();

  // From a drill-down list to a record's print view.
  await drill(page, 'td[data-figure="ledger:monitoring"][data-total]');
  const item = page.locator('[data-testid=figure-list] li[data-household]').first();
  const hid = await item.getAttribute('data-household');
  await item.locator('a.print-link').click();
  const paper = page.locator('.paper');
  await paper.waitFor();
  const h = EXP.entries.find((e) => e.record.household_id === hid).record;
  assert.equal(await paper.getAttribute('data-record'), h.id);
  assert.equal(page.url(), `${OFFICE}#/h/${h.id}/print`);

  // The paper form: sections 一–八 with A-codes, every member, the signature lines.
  assert.deepEqual(await paper.locator('.sec h2').allTextContents().then((t) => t.map((x) => x.slice(0, 2))), ['一、', '二、', '三、', '四、', '五、', '六、', '七、', '八、']);
  const codes = await paper.locator('.code').allTextContents();
  for (let n = 1; n <= 49; n++) assert.ok(codes.includes(`A${n}`) || (n >= 3 && n <= 20), `A${n}`);
  const heads = await paper.locator('.members thead th').allTextContents();
  for (let n = 3; n <= 20; n++) assert.ok(heads.some((t) => t.startsWith(`A${n}`)), `member column A${n}`);
  const memberRows = await paper.locator('.members tbody tr:not(.blank)').evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
  assert.deepEqual(memberRows, h.members.map((m) => m.name));
  assert.equal(await paper.locator('[data-sign=surveyor] .sign-name').textContent(), h.visit.surveyor);
  const assessors = await paper.locator('[data-sign=assessor] .sign-name').allTextContents();
  assert.ok(assessors.length >= 2);
  assert.deepEqual(assessors.filter(Boolean), h.visit.assessors);
  assert.equal(await paper.locator('.sign-line').count(), 1 + assessors.length);
  const ticked = await paper.locator('.sec[data-section="1"] .choice.on').allTextContents();
  assert.ok(ticked.includes('监测对象'));
  const pc = incomeFigures(h).pc;
  const yuan = (c) => `${Math.trunc(c / 100).toLocaleString('en-US')}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
  assert.ok((await paper.locator('.amount', { hasText: 'A27' }).textContent()).includes(yuan(pc)));

  // Printed: the app's chrome is gone, the page is A4.
  assert.equal(await page.locator('.topbar').isVisible(), true);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  for (const chrome of ['.topbar', '.print-toolbar', '.print-page > p.muted']) {
    assert.equal(await page.locator(chrome).isVisible(), false, `${chrome} is not printed`);
  }
  assert.equal(await paper.isVisible(), true);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.paper')).boxShadow), 'none');
  const pageRules = await page.evaluate(() =>
    [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSPageRule).map((r) => `${r.selectorText}|${r.style.getPropertyValue('size')}`),
  );
  assert.ok(pageRules.includes('|a4'), `@page { size: A4 }: ${pageRules}`);
  assert.ok(pageRules.includes('landscape|a4 landscape'), `@page landscape { size: A4 landscape }: ${pageRules}`);
  await page.screenshot({ path: path.join(RESULTS, 'township-print-record.png'), fullPage: true });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  fs.writeFileSync(path.join(RESULTS, 'township-print-record.pdf'), pdf);
  const boxes = pdf.toString('latin1').match(/\/MediaBox \[[^\]]*\]/g);
  assert.ok(boxes.length >= 1 && boxes.length <= 3, `${boxes.length} pages`);
  assert.ok(boxes.every((b) => /\[0 0 594\.9\d* 841\.9\d*\]/.test(b)), `A4 portrait: ${boxes}`);

  // A ledger prints on A4 landscape without tabs, buttons or the top bar.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${OFFICE}#/township/ledgers/monitoring`);
  await page.locator('table.ledger').waitFor();
  await page.emulateMedia({ media: 'print' });
  for (const chrome of ['.topbar', '.tabs', '.subtabs', '[data-action=csv]', '[data-action=print]', '.period']) {
    assert.equal(await page.locator(chrome).first().isVisible(), false, `${chrome} is not printed`);
  }
  assert.equal(await page.locator('table.ledger').isVisible(), true);
  assert.equal(await page.locator('.signature-line').isVisible(), true);
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.screenshot({ path: path.join(RESULTS, 'township-print-ledger.png'), fullPage: true });
  const ledgerPdf = await page.pdf({ preferCSSPageSize: true });
  fs.writeFileSync(path.join(RESULTS, 'township-print-ledger.pdf'), ledgerPdf);
  const lboxes = ledgerPdf.toString('latin1').match(/\/MediaBox \[[^\]]*\]/g);
  assert.ok(lboxes.every((b) => /\[0 0 841\.9\d* 594\.9\d*\]/.test(b)), `A4 landscape: ${lboxes}`);

  assert.deepEqual(errors, []);
  await context.close();
});

test('what surveyors typed is shown as text, never run; an empty device says what to do', async () => {
  const evil = '<img src=x onerror="window.__xss=1">敖<b>福</b>';
  const group = '"><script>window.__xss=2</script>';
  const target = EXP.ledgers.monitoring[0];
  const records = structuredClone(FIXTURE.records).map((r) => {
    if (r.household_id === target) {
      r.members.find((m) => m.relation === 'head').name = evil;
      r.address.group = group;
    }
    return r;
  });
  const { context, page, errors } = await seededPage(browser, records, settingsFor(POLICY));
  const latest = EXP.heads.get(target).record;

  await page.goto(`${OFFICE}#/township/ledgers/monitoring`);
  const row = page.locator(`table.ledger tbody tr[data-household="${target}"]`);
  await row.waitFor();
  assert.deepEqual(await row.locator('td').evaluateAll((tds) => [tds[2].textContent, tds[3].textContent]), [group, evil]);

  await page.goto(`${OFFICE}#/township`);
  await drill(page, 'td[data-figure="ledger:monitoring"][data-total]');
  const item = page.locator(`[data-testid=figure-list] li[data-household="${target}"] .title`);
  assert.ok((await item.textContent()).includes(`${group} ${evil}户`));

  await page.goto(`${OFFICE}#/h/${latest}/print`);
  await page.locator('.paper').waitFor();
  assert.equal(await page.locator('.members tbody tr').first().locator('td').nth(1).textContent(), evil);
  assert.equal(await page.locator('.paper img, .paper script, table.ledger img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(errors, []);
  await context.close();

  // No records yet: the page says so and points to the import.
  const empty = await browser.newContext({ serviceWorkers: 'block' });
  const p = await empty.newPage();
  await p.goto(`${OFFICE}#/township`);
  await p.getByText('本机还没有入户记录。').waitFor();
  assert.equal(await p.getByRole('link', { name: '去导入记录' }).getAttribute('href'), './#/');

  // One app over three pages: a bare office.html opens 汇总; an old link to the township on the
  // start page is handed over to the office's page, and the office hands the surveyor's
  // routes to the full app (app.html) and the list to the start page; the top bar links across.
  await p.goto(OFFICE);
  await p.waitForURL(`${OFFICE}#/township`);
  assert.equal(await p.getByRole('banner').getByRole('link', { name: '记录', exact: true }).getAttribute('href'), './#/');
  assert.equal(await p.getByRole('banner').getByRole('link', { name: '汇总', exact: true }).getAttribute('aria-current'), 'page');
  await p.goto(`${BASE_URL}#/township/report`);
  await p.waitForURL(`${OFFICE}#/township/report`);
  await p.getByText('本机还没有入户记录。').waitFor();
  await p.goto(`${OFFICE}#/settings`);
  await p.waitForURL(`${BASE_URL}app.html#/settings`);
  await p.getByRole('heading', { name: '设置' }).waitFor();
  assert.equal(await p.getByRole('banner').getByRole('link', { name: '汇总', exact: true }).getAttribute('href'), 'office.html#/township');
  await empty.close();
});
