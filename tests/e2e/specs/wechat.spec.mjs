// WeChat's in-app browser (issue 14, part 6; public/sw-register.js): with `MicroMessenger` in
// the user agent, every page starts with one line asking to open it in the phone's browser,
// with our own picture of where to tap (icons/wechat-open.svg: ··· at the top right, then
// 在浏览器打开). On a 360 px phone the instruction is one line and nothing overflows; the
// page works as before under it. Any other browser shows nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/township.mjs';
import { BASE_URL } from '../lib/app.mjs';

// WeChat 8 on Android (its X5/XWeb browser is Chromium-based).
const WECHAT =
  'Mozilla/5.0 (Linux; Android 12; V2118A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MMWEBID/1234 MicroMessenger/8.0.34.2340(0x2800225B) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';
const CHROME =
  'Mozilla/5.0 (Linux; Android 12; V2118A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', serviceWorkers: 'block' };
const PAGES = [
  ['index.html', '入户排查'],
  ['app.html#/settings', '设置'],
  ['office.html', '乡镇汇总'],
];

test('in WeChat every page says, in one line with a picture, to open it in the browser', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext({ ...PHONE, userAgent: WECHAT });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    for (const [path, heading] of PAGES) {
      await page.goto(new URL(path, BASE_URL).href);
      await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      const note = page.locator('#wechat-note');
      await note.waitFor();
      assert.equal(await page.locator('#wechat-note').count(), 1, `${path}: one note`);
      assert.match(await note.textContent(), /请点右上角 ··· 选“在浏览器打开”/);
      // First on the page, above the app's top bar.
      assert.equal(await page.evaluate(() => document.body.firstElementChild.id), 'wechat-note', path);
      const box = await note.boundingBox();
      const bar = await page.locator('header.topbar').first().boundingBox();
      assert.ok(box.y + box.height <= bar.y + 0.5, `${path}: the note ${JSON.stringify(box)} is above the bar ${JSON.stringify(bar)}`);
      // Our own picture, loaded from this origin, with a text alternative.
      const picture = note.locator('img');
      assert.equal(new URL(await picture.evaluate((i) => i.src)).pathname, '/icons/wechat-open.svg');
      await page.waitForFunction(() => document.querySelector('#wechat-note img').complete);
      assert.ok(await picture.evaluate((i) => i.naturalWidth > 0), `${path}: the picture loads`);
      assert.ok((await picture.getAttribute('alt')).includes('在浏览器打开'));
      // The instruction is one line, and nothing is wider than the phone.
      const line = await note.locator('strong').evaluate((s) => {
        const r = s.getBoundingClientRect();
        return { height: r.height, lineHeight: parseFloat(getComputedStyle(s).lineHeight), right: r.right };
      });
      assert.ok(line.height < line.lineHeight * 1.5, `${path}: one line (${JSON.stringify(line)})`);
      assert.ok(line.right <= 360, `${path}: inside the screen`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), `${path}: no horizontal scroll`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('in another browser no page shows the note', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext({ ...PHONE, userAgent: CHROME });
    const page = await context.newPage();
    for (const [path, heading] of PAGES) {
      await page.goto(new URL(path, BASE_URL).href);
      await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      // sw-register.js has run (the page's app mounted after it, as scripts run in order).
      await page.waitForFunction(() => document.readyState === 'complete');
      assert.equal(await page.locator('#wechat-note').count(), 0, path);
    }
  } finally {
    await browser.close();
  }
});
