// The four small things of the 360 px acceptance audit, measured on a 360×740 phone:
// the 新版本可用 prompt and the 撤销 snackbar stack (both visible, neither over the other or
// the risk bar); an 11-digit phone stays on one line in the import conflict table; the
// township charts' text is at least 12 CSS px as rendered; the print preview of a record is
// not scaled down below 0.9 (the sheet scrolls sideways instead) while printing is unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch as launchPhone, waitForServiceWorker, serviceWorkerFile, HomePage, BASE_URL } from '../lib/app.mjs';
import { launch as launchBrowser, phone, exportAll, importFiles, waitSaved, goHome } from '../fixtures/records/harness.mjs';
import { seededPage, settingsFor, storedRecords } from '../lib/township.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'fixtures', 'township-200.json'), 'utf8'));
const OFFICE = `${BASE_URL}office.html`;
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
/** A4's width in CSS px (210 mm at 96 px per inch). */
const A4_PX = (210 / 25.4) * 96;

/** Whether two boxes (from boundingBox()) share any area. */
function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Fails unless `box` lies inside the 360×740 viewport. */
function inViewport(box, what) {
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 360.5 && box.y + box.height <= 740.5, `${what} off screen: ${JSON.stringify(box)}`);
}

/** Whether the element's own centre is the topmost thing there (nothing covers it). */
async function onTop(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return el === hit || el.contains(hit);
  });
}

test('the update prompt and the 撤销 snackbar stack above the risk bar', { timeout: 120_000 }, async () => {
  const sw = serviceWorkerFile();
  const app = await launchPhone();
  try {
    const { page } = app;
    const home = new HomePage(page);
    await home.open();
    await waitForServiceWorker(page);
    await home.newRecord.click();
    await page.waitForURL(/#\/h\//);
    // A member with a long name, so the snackbar's message takes two lines.
    await page.getByRole('button', { name: '＋ 添加家庭成员' }).click();
    const card = page.locator('.hh-members > li').last();
    await card.locator('input[name$=".name"]').fill('阿拉腾其木格·巴雅尔图·额尔敦其其格·乌力吉巴雅尔·斯琴高娃·其木格');

    // A new version waits: the prompt shows.
    await sw.publish(page);
    const prompt = page.getByRole('alert').filter({ hasText: '新版本可用' });
    await prompt.waitFor({ timeout: 30_000 });

    // The member is removed: the snackbar offers 撤销 while the prompt still shows.
    const members = page.locator('.hh-members > li');
    const count = await members.count();
    await card.getByRole('button', { name: '删除此成员' }).click();
    const snack = page.locator('.snackbar');
    await snack.getByText('已删除阿拉腾其木格').waitFor();
    const boxes = {
      prompt: await prompt.boundingBox(),
      snackbar: await snack.boundingBox(),
      'risk bar': await page.locator('.risk-bar').boundingBox(),
    };
    const messageLines = await snack.locator('span').first().evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert.ok(messageLines >= 2, `a snackbar taller than one line (${messageLines} lines)`);
    for (const [what, box] of Object.entries(boxes)) inViewport(box, what);
    const names = Object.keys(boxes);
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        assert.ok(!overlap(boxes[names[i]], boxes[names[j]]), `${names[i]} ${JSON.stringify(boxes[names[i]])} overlaps ${names[j]} ${JSON.stringify(boxes[names[j]])}`);
      }
    }
    // Both buttons can be tapped: nothing lies over them.
    assert.ok(await onTop(prompt.getByRole('button', { name: '更新' })), 'the 更新 button is covered');
    assert.ok(await onTop(snack.getByRole('button', { name: '撤销' })), 'the 撤销 button is covered');
    assert.ok(await onTop(page.locator('.risk-bar .verdict')), 'the verdict is covered');

    // With the findings open (the panel grows up to 60 % of the screen), the two go to the top
    // of the screen, still stacked, and cover no finding.
    await page.locator('.risk-bar').click();
    const findings = page.locator('#risk-findings');
    await findings.waitFor();
    const open = { prompt: await prompt.boundingBox(), snackbar: await snack.boundingBox(), findings: await findings.boundingBox() };
    assert.ok(open.findings.height > 150, `the findings list is open (${open.findings.height} px)`);
    for (const [a, b] of [['prompt', 'snackbar'], ['prompt', 'findings'], ['snackbar', 'findings']]) {
      assert.ok(!overlap(open[a], open[b]), `with the findings open, ${a} ${JSON.stringify(open[a])} overlaps ${b} ${JSON.stringify(open[b])}`);
    }
    assert.ok(await onTop(snack.getByRole('button', { name: '撤销' })), 'the 撤销 button is covered (findings open)');
    assert.ok(await onTop(prompt.getByRole('button', { name: '更新' })), 'the 更新 button is covered (findings open)');
    assert.ok(await onTop(findings.locator('.finding-go').first()), 'the first finding is covered');
    await page.locator('.risk-bar').click();
    await findings.waitFor({ state: 'detached' });

    await snack.getByRole('button', { name: '撤销' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.hh-members > li').length === n, count);
    assert.equal(await snack.count(), 0);
    // Alone again, the prompt keeps its place above the risk bar.
    const alone = await prompt.boundingBox();
    assert.ok(alone.y + alone.height <= (await page.locator('.risk-bar').boundingBox()).y, 'the prompt is above the risk bar');
  } finally {
    sw.restore();
    await app.close();
  }
});

test('an 11-digit phone stays on one line in the conflict table', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await phone(browser);
    await page.getByRole('button', { name: '新建入户' }).click();
    await page.getByLabel('村', { exact: true }).fill('额尔和村');
    await page.locator('#f-phone input').fill('13912345678');
    await waitSaved(page);
    await goHome(page);
    const record = (await exportAll(page)).json.records[0];
    assert.equal(record.phone, '13912345678');
    delete record.computed;
    record.phone = '15847061234';
    record.address.village = '西瓦尔图村';
    const text = JSON.stringify({ format: 'ruhu.export/1', exported_at: '2023-03-01T10:00:00+08:00', records: [record] });
    assert.equal(await importFiles(page, [{ name: '冲突.json', text }]), '新增 0 · 更新 0 · 冲突 1 · 无效 0');

    const row = page.locator('article.conflict tr[data-path="phone"]');
    await row.waitFor();
    // Each value is one line box (a Range over its text has one client rect per line).
    const lines = await row.locator('td').evaluateAll((tds) =>
      tds.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return [td.textContent, tops.size];
      }));
    assert.deepEqual(lines, [['13912345678', 1], ['15847061234', 1]]);
    // Nothing is cut off or scrolled: the table fits its card, the page is 360 px wide.
    const fit = await page.evaluate(() => {
      const wrap = document.querySelector('article.conflict .diff-wrap');
      const card = document.querySelector('article.conflict').getBoundingClientRect();
      const table = wrap.querySelector('table').getBoundingClientRect();
      return { page: document.documentElement.scrollWidth, wrap: wrap.scrollWidth - wrap.clientWidth, inside: table.left >= card.left && table.right <= card.right };
    });
    assert.deepEqual(fit, { page: 360, wrap: 0, inside: true });
  } finally {
    await browser.close();
  }
});

/** Every text of a chart as rendered: its CSS font size, its box, and where its glyphs are.
 *
 * `box` is the text's layout box: its advance widths across, and the font's ascent plus descent
 * from the baseline (rounded up to whole pixels) — with a CJK font such as Noto Sans CJK that is
 * 1.45 em, room the font leaves for other scripts' tall and deep glyphs. `ink` is the box of
 * the glyphs drawn: the same advance widths across, and from the baseline the ascent and descent
 * of this very text's glyphs in the font the page uses (canvas `measureText` with the computed
 * font; the measured width must equal the rendered one, or it measured another font). Two texts
 * are on top of each other when their glyphs are. */
async function chartTexts(page, name) {
  return page.locator(`[data-chart=${name}] svg`).evaluate((svg) => {
    const frame = svg.getBoundingClientRect();
    const ctx = document.createElement('canvas').getContext('2d');
    return {
      frame: { left: frame.left, right: frame.right, top: frame.top, bottom: frame.bottom },
      texts: [...svg.querySelectorAll('text')].map((t) => {
        const b = t.getBoundingClientRect();
        const style = getComputedStyle(t);
        const ctm = t.getScreenCTM();
        const px = parseFloat(style.fontSize) * ctm.a;
        ctx.font = `${style.fontStyle} ${style.fontWeight} ${px}px ${style.fontFamily}`;
        const m = ctx.measureText(t.textContent);
        const start = t.getStartPositionOfChar(0);
        const baseline = new DOMPoint(start.x, start.y).matrixTransform(ctm).y;
        const top = baseline - m.actualBoundingBoxAscent;
        return {
          text: t.textContent,
          px,
          box: { x: b.x, y: b.y, width: b.width, height: b.height },
          ink: { x: b.x, y: top, width: b.width, height: baseline + m.actualBoundingBoxDescent - top },
          measuredWidth: m.width,
        };
      }),
    };
  });
}

for (const confirmed of [true, false]) {
  test(`the township charts' text is at least 12 px on a phone (policy ${confirmed ? 'confirmed' : 'unconfirmed'})`, { timeout: 120_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const settings = settingsFor(FIXTURE.policy);
      settings.policy.confirmed = confirmed;
      const { page, errors } = await seededPage(browser, FIXTURE.records, settings, PHONE);
      await page.goto(`${OFFICE}#/township`);
      for (const name of ['village-bars', 'income-strip']) {
        await page.locator(`[data-chart=${name}] svg`).waitFor();
        const { frame, texts } = await chartTexts(page, name);
        assert.ok(texts.length >= 10, `${name}: ${texts.length} texts`);
        const small = texts.filter((t) => t.px < 12).map((t) => `${t.text} ${t.px.toFixed(1)}px`);
        assert.deepEqual(small, [], `${name}: text under 12 px`);
        // Bigger text still fits: inside the chart, no two texts on top of each other.
        for (const t of texts) {
          assert.ok(t.box.x >= frame.left - 0.5 && t.box.x + t.box.width <= frame.right + 0.5 && t.box.y >= frame.top - 0.5 && t.box.y + t.box.height <= frame.bottom + 0.5,
            `${name}: "${t.text}" outside the chart ${JSON.stringify(t.box)} ${JSON.stringify(frame)}`);
        }
        for (const t of texts) {
          assert.ok(Math.abs(t.measuredWidth - t.box.width) < 1, `${name}: "${t.text}" measured in another font (${t.measuredWidth} px, drawn ${t.box.width} px)`);
          assert.ok(t.ink.height > 0 && t.ink.height <= t.box.height, `${name}: "${t.text}" glyphs ${JSON.stringify(t.ink)} in ${JSON.stringify(t.box)}`);
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            assert.ok(!overlap(texts[i].ink, texts[j].ink), `${name}: "${texts[i].text}" overlaps "${texts[j].text}"`);
          }
        }
        if (name === 'income-strip') {
          assert.equal(texts.some((t) => t.text.includes('未经核对')), !confirmed, 'the unconfirmed line says so');
        }
      }
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'no sideways page scroll');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
}

test('the print preview of a record is readable on a phone; printing is unchanged', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser();
  try {
    const record = storedRecords(FIXTURE.records).find((r) => r.members.length >= 3);
    const { page, errors } = await seededPage(browser, FIXTURE.records, settingsFor(FIXTURE.policy), PHONE);
    await page.goto(`${OFFICE}#/h/${record.id}/print`);
    const paper = page.locator('.paper');
    await paper.waitFor();
    const screen = await page.evaluate(() => {
      const paper = document.querySelector('.paper');
      const frame = document.querySelector('.paper-scroll');
      const p = paper.querySelector('.sec p');
      return {
        width: paper.getBoundingClientRect().width,
        // The rendered size of the form's running text: its font size as laid out, times the zoom.
        textPx: parseFloat(getComputedStyle(p).fontSize) * (paper.getBoundingClientRect().width / paper.offsetWidth),
        pageWidth: document.documentElement.scrollWidth,
        frameScrolls: frame.scrollWidth > frame.clientWidth,
      };
    });
    const scale = screen.width / A4_PX;
    assert.ok(scale >= 0.9, `the sheet is shown at ${scale.toFixed(2)}`);
    assert.ok(screen.textPx >= 12.5, `running text ${screen.textPx.toFixed(1)} px`);
    assert.equal(screen.pageWidth, 360, 'the page itself does not scroll sideways');
    assert.ok(screen.frameScrolls, 'the sheet scrolls sideways in its frame');
    // Scrolled to the end, the sheet's right edge comes into view.
    const right = await page.evaluate(() => {
      const frame = document.querySelector('.paper-scroll');
      frame.scrollLeft = frame.scrollWidth;
      return document.querySelector('.paper').getBoundingClientRect().right;
    });
    assert.ok(right <= 360 && right > 300, `the sheet's right edge at ${right}`);

    // Printing: the sheet at its own size, no zoom, nothing around it.
    await page.emulateMedia({ media: 'print' });
    const print = await paper.evaluate((el) => ({ zoom: getComputedStyle(el).zoom, font: parseFloat(getComputedStyle(el).fontSize), shadow: getComputedStyle(el).boxShadow }));
    assert.equal(print.zoom, '1');
    assert.ok(Math.abs(print.font - (10 * 96) / 72) < 0.01, `10pt on paper: ${print.font}px`);
    assert.equal(print.shadow, 'none');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
