// Signatures (issue 15, item 2): 本户排查人 signs a household on the pad with pointer events
// (page.mouse makes pointerdown/move/up on the canvas), 撤销一笔 and 重做 work on strokes, the
// signature is stored inline in the record as a small SVG attachment (sha256, bytes, role,
// signer, signed_digest, taken_at), is shown again after a reload and on the surveyor's line of
// the print; a change of the record afterwards marks it 签字后有修改 on the form and the print,
// and signing again replaces it. A 研判人 signs with a finger (CDP touch events → pointer
// events of type touch) and the page does not scroll under it (the canvas' touch-action:
// none; without it this test fails), 清除 starts again, 户主 signs, 删除签名 and 撤销, a second
// window of the record cannot sign, and the print has each signature on its own line. Every
// page fails on a CSP violation (lib/csp.mjs): the images are data: URLs, the pad's styles
// come from style/form.css.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, phone, importFiles, fixture, waitSaved, BASE_URL } from '../fixtures/records/harness.mjs';
import { storedRecord } from '../lib/app.mjs';

const APP = `${BASE_URL}app.html`;
const OFFICE = `${BASE_URL}office.html`;
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(RESULTS, { recursive: true });

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Draws a stroke on the pad's canvas through `points` (fractions of its box). */
async function stroke(page, points) {
  const canvas = page.locator('[data-testid=sign-pad] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  const [x0, y0] = at(points[0]);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const p of points.slice(1)) {
    const [x, y] = at(p);
    await page.mouse.move(x, y, { steps: 6 });
  }
  await page.mouse.up();
}

/** The record's signature attachments. */
async function signaturesOf(page, id) {
  const rec = await storedRecord(page, id);
  return (rec.attachments || []).filter((a) => a.kind === 'signature');
}

/** Whether an <img> decoded (a valid SVG). */
const decoded = (img) => img.evaluate((el) => el.complete && el.naturalWidth > 0);

test('a surveyor signs on the pad; the signature is stored, shown, printed and marked 签字后有修改 after a change', async () => {
  const { context, page } = await phone(browser);
  const record = fixture('general-no-risk.json');
  const id = record.id;
  await importFiles(page, [{ name: 'a.json', text: JSON.stringify(record) }]);
  await page.goto(`${APP}#/h/${id}`);
  const section = page.locator('#f-signatures');
  await section.waitFor();

  // The lines: 本户排查人, each 研判人 (at least two), 户主.
  const surveyor = section.locator('[data-sign=surveyor]');
  assert.equal(await surveyor.locator('.sign-name').textContent(), record.visit.surveyor);
  assert.deepEqual(await section.locator('[data-sign=assessor] .sign-name').allTextContents(), record.visit.assessors);
  assert.equal(await section.locator('[data-sign=head]').count(), 1);
  assert.equal(await section.locator('img.sign-img').count(), 0);

  // Three strokes, take one back, put it back, take it back again: two are signed.
  await surveyor.getByRole('button', { name: '签字', exact: true }).click();
  const pad = page.getByTestId('sign-pad');
  await pad.waitFor();
  assert.equal(await pad.getByRole('button', { name: '确认签名' }).isDisabled(), true, 'nothing drawn yet');
  await stroke(page, [[0.1, 0.6], [0.2, 0.3], [0.3, 0.7], [0.4, 0.35]]);
  await stroke(page, [[0.45, 0.5], [0.6, 0.45], [0.7, 0.6]]);
  await stroke(page, [[0.75, 0.3], [0.8, 0.8], [0.9, 0.4]]);
  assert.equal(await pad.getByRole('button', { name: '重做' }).isDisabled(), true);
  await pad.getByRole('button', { name: '撤销一笔' }).click();
  await pad.getByRole('button', { name: '重做' }).click();
  assert.equal(await pad.getByRole('button', { name: '重做' }).isDisabled(), true);
  await pad.getByRole('button', { name: '撤销一笔' }).click();
  await pad.screenshot({ path: join(RESULTS, 'signatures-pad.png') });
  await pad.getByRole('button', { name: '确认签名' }).click();
  await pad.waitFor({ state: 'detached' });
  await waitSaved(page);

  // Stored inline in the record: a small SVG of two strokes with its figures.
  let sigs = await signaturesOf(page, id);
  assert.equal(sigs.length, 1);
  const [sig] = sigs;
  assert.equal(sig.role, 'surveyor');
  assert.equal(sig.signer, record.visit.surveyor);
  assert.equal(sig.mime, 'image/svg+xml');
  assert.equal(sig.path, 'signatures');
  const svg = Buffer.from(sig.data, 'base64');
  assert.equal(sig.sha256, createHash('sha256').update(svg).digest('hex'));
  assert.equal(sig.bytes, svg.length);
  assert.ok(svg.length < 8 * 1024, `a few KB: ${svg.length} bytes`);
  console.log(`signature SVG of two strokes: ${svg.length} bytes (${sig.data.length} in base64)`);
  const text = svg.toString('utf8');
  assert.match(text, /^<svg[^>]*viewBox="/);
  const moves = (text.match(/d="[^"]*"/g) || []).join(' ').match(/M/g) || [];
  assert.equal(moves.length, 2, `two strokes after 撤销一笔: ${text}`);
  assert.match(sig.signed_digest, /^[0-9a-f]{64}$/);
  assert.match(sig.taken_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);

  // After a reload the line shows the signature, not marked.
  await page.reload();
  const img = page.locator('#f-signatures [data-sign=surveyor] img.sign-img');
  await img.waitFor();
  assert.equal(await img.getAttribute('src'), `data:image/svg+xml;base64,${sig.data}`);
  assert.equal(await decoded(img), true, 'the SVG is an image the browser draws');
  assert.equal(await page.locator('#f-signatures [data-testid=sign-stale]').count(), 0);
  await page.locator('#f-signatures').screenshot({ path: join(RESULTS, 'signatures-form.png') });

  // The print shows it on the surveyor's line, within the line.
  await page.goto(`${OFFICE}#/h/${id}/print`);
  const paper = page.locator('.paper');
  await paper.waitFor();
  const printed = paper.locator('[data-sign=surveyor] .sign-line img.sign-img');
  await printed.waitFor();
  assert.equal(await printed.getAttribute('src'), `data:image/svg+xml;base64,${sig.data}`);
  assert.equal(await decoded(printed), true);
  const line = await paper.locator('[data-sign=surveyor] .sign-line').boundingBox();
  const drawn = await printed.boundingBox();
  assert.ok(drawn.height > 10 && drawn.height <= line.height + 0.5 && drawn.width <= line.width + 0.5, `sized to the line: ${JSON.stringify({ line, drawn })}`);
  assert.equal(await paper.locator('[data-sign=assessor] img').count(), 0, 'the assessors have not signed');
  assert.deepEqual(await paper.locator('[data-sign=assessor] .sign-name').allTextContents(), record.visit.assessors);
  assert.equal(await paper.locator('.sign-line').count(), 1 + record.visit.assessors.length, 'a line each, blank to sign by hand');
  assert.equal(await paper.locator('[data-sign=head]').count(), 0, 'no 户主 line unless the head signed');
  assert.equal(await paper.locator('.sign-stale').count(), 0);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await printed.isVisible(), true, 'printed on paper');
  await page.emulateMedia({ media: 'screen' });

  // A change of the record after signing: 签字后有修改 on the form and in the print.
  await page.goto(`${APP}#/h/${id}`);
  await page.locator('.final-banner').getByRole('button', { name: '修改' }).click();
  await page.locator('input[name="phone"]').fill('13900000001');
  await waitSaved(page);
  const stale = page.locator('#f-signatures [data-sign=surveyor] [data-testid=sign-stale]');
  await stale.waitFor();
  assert.equal(await stale.textContent(), '签字后有修改');
  await page.goto(`${OFFICE}#/h/${id}/print`);
  await paper.waitFor();
  assert.equal(await paper.locator('[data-sign=surveyor] .sign-stale').textContent(), '签字后有修改');
  assert.equal(await paper.locator('[data-sign=surveyor] img.sign-img').count(), 1);
  await page.setViewportSize({ width: 900, height: 740 });
  await paper.locator('.signatures').screenshot({ path: join(RESULTS, 'signatures-print-stale.png') });
  await page.setViewportSize({ width: 360, height: 740 });

  // Signing again replaces the signature and clears the mark.
  await page.goto(`${APP}#/h/${id}`);
  await page.locator('#f-signatures [data-sign=surveyor]').getByRole('button', { name: '重新签字' }).click();
  await pad.waitFor();
  await stroke(page, [[0.2, 0.5], [0.5, 0.3], [0.8, 0.6]]);
  await pad.getByRole('button', { name: '确认签名' }).click();
  await pad.waitFor({ state: 'detached' });
  await waitSaved(page);
  sigs = await signaturesOf(page, id);
  assert.equal(sigs.length, 1, 'replaced, not added');
  assert.notEqual(sigs[0].id, sig.id);
  assert.notEqual(sigs[0].signed_digest, sig.signed_digest);
  assert.equal(await page.locator('#f-signatures [data-testid=sign-stale]').count(), 0);

  await context.close();
});

/** Draws a stroke with a finger: CDP touch events, which Chromium turns into pointer events of
 * type touch (and into a scroll, were the canvas not `touch-action: none`). */
async function touchStroke(page, cdp, points) {
  const canvas = page.locator('[data-testid=sign-pad] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const at = ([fx, fy]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
  for (const p of points.slice(1)) {
    const a = at(p);
    for (let k = 1; k <= 5; k++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [a] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('a 研判人 signs with a finger without scrolling the page; 户主 signs; 清除, 删除签名 and 撤销; both printed', async () => {
  const { context, page } = await phone(browser);
  const cdp = await context.newCDPSession(page);
  const record = fixture('general-no-risk.json');
  const id = record.id;
  const assessor = record.visit.assessors[1];
  const head = record.members.find((m) => m.relation === 'head').name;
  await importFiles(page, [{ name: 'a.json', text: JSON.stringify(record) }]);
  await page.goto(`${APP}#/h/${id}`);
  const section = page.locator('#f-signatures');
  await section.waitFor();

  // The finger draws; the page does not scroll under it.
  await section.locator(`[data-sign=assessor][data-signer="${assessor}"]`).getByRole('button', { name: '签字', exact: true }).click();
  const pad = page.getByTestId('sign-pad');
  await pad.waitFor();
  await touchStroke(page, cdp, [[0.5, 0.5], [0.5, 0.9], [0.5, 0.1]]);
  const scrolled = await page.evaluate(() => window.scrollY);
  await touchStroke(page, cdp, [[0.2, 0.2], [0.2, 0.9], [0.3, 0.1], [0.6, 0.8]]);
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'drawing does not scroll the page');
  await pad.getByRole('button', { name: '清除' }).click();
  assert.equal(await pad.getByRole('button', { name: '确认签名' }).isDisabled(), true, 'cleared');
  await touchStroke(page, cdp, [[0.1, 0.5], [0.3, 0.2], [0.5, 0.7], [0.9, 0.4]]);
  await pad.getByRole('button', { name: '确认签名' }).click();
  await pad.waitFor({ state: 'detached' });

  // 户主 with the mouse.
  await section.locator('[data-sign=head]').getByRole('button', { name: '签字', exact: true }).click();
  await pad.waitFor();
  await stroke(page, [[0.2, 0.4], [0.5, 0.6], [0.8, 0.4]]);
  await pad.getByRole('button', { name: '确认签名' }).click();
  await pad.waitFor({ state: 'detached' });
  await waitSaved(page);
  let sigs = await signaturesOf(page, id);
  assert.deepEqual(sigs.map((a) => [a.role, a.signer]), [['assessor', assessor], ['head', head]]);
  const moves = (Buffer.from(sigs[0].data, 'base64').toString('utf8').match(/M/g) || []).length;
  assert.equal(moves, 1, 'one stroke after 清除');

  // 删除签名, then 撤销.
  await section.locator('[data-sign=head]').getByRole('button', { name: '删除签名' }).click();
  await waitSaved(page);
  assert.deepEqual((await signaturesOf(page, id)).map((a) => a.role), ['assessor']);
  await page.locator('.snackbar').getByRole('button', { name: '撤销' }).click();
  await section.locator('[data-sign=head] img.sign-img').waitFor();
  await waitSaved(page);
  sigs = await signaturesOf(page, id);
  assert.deepEqual(sigs.map((a) => a.role), ['assessor', 'head']);

  // In a second window of the same record (read-only there) nothing can be signed.
  const other = await context.newPage();
  await other.goto(`${APP}#/h/${id}`);
  await other.getByTestId('elsewhere').waitFor();
  assert.equal(await other.locator('#f-signatures [data-sign=surveyor]').getByRole('button', { name: '签字', exact: true }).isDisabled(), true);
  assert.equal(await other.locator('#f-signatures [data-sign=head]').getByRole('button', { name: '删除签名' }).isDisabled(), true);
  await other.close();

  // Both on their lines in the print; the surveyor's line is blank.
  await page.goto(`${OFFICE}#/h/${id}/print`);
  const paper = page.locator('.paper');
  await paper.waitFor();
  const rows = await paper.locator('.sign-row').evaluateAll((ps) => ps.map((p) => [p.dataset.sign, p.querySelector('.sign-name').textContent, !!p.querySelector('img.sign-img')]));
  assert.deepEqual(rows, [['surveyor', record.visit.surveyor, false], ...record.visit.assessors.map((n) => ['assessor', n, n === assessor]), ['head', head, true]]);
  for (const img of await paper.locator('img.sign-img').all()) assert.equal(await decoded(img), true);
  await context.close();
});
