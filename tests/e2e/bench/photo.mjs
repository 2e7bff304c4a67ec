// Photo figures (issue 15's budgets), in headless Chromium. Prints figures; nothing fails on a
// number. See tests/bench/README.md (Photos).
//
//   ./x.sh build
//   python3 -m http.server 8090 --bind 127.0.0.1 --directory dist &
//   BASE_URL=http://127.0.0.1:8090/ node tests/e2e/bench/photo.mjs
//
// 1. A generated 4000×3000 JPEG (tests/e2e/lib/photo.mjs) attached on the form through
//    添加照片, at CPU throttling 1× and 4× (CDP Emulation.setCPUThrottlingRate): the stored
//    bytes, the processing time (the input's `change` to the thumbnail's `<img>` in the page:
//    decode at reduced size, JPEG encode, sha256, the IndexedDB write), and the JS heap
//    (CDP Runtime.getHeapUsage, sampled every 20 ms: before, peak during, after a GC). The
//    decoded bitmap itself is not JS heap (Chromium keeps it in the renderer's image memory):
//    the decode at reduced size makes it 1600×1200×4 = 7.7 MB instead of 48 MB.
// 2. A record with 50 photos (each a stored Blob of the photo above): the time to open it (the
//    navigation's start to the form with its 50 cards), then 50 keystrokes in A1's village
//    field (Event Timing `input` work and key→next frame, as tests/e2e/perf/form-keystroke.mjs).

import { chromium } from '../node_modules/playwright-core/index.mjs';
import { cameraJpeg } from '../lib/photo.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8090/';
const APP = new URL('app.html', BASE_URL).href;
const os = await import('node:os');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
const page = await context.newPage();
page.on('pageerror', (e) => console.error('page error:', e.message));
const cdp = await context.newCDPSession(page);

console.log(`ruhu photo figures: Chromium ${browser.version()}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);

await page.goto(`${APP}#/new`);
await page.waitForURL(/#\/h\/[0-9a-f-]{36}$/);
await page.locator('input[name="address.village"]:enabled').waitFor({ timeout: 60_000 });
const recordId = /#\/h\/([0-9a-f-]{36})/.exec(page.url())[1];
const original = await cameraJpeg(page);
// Picked from a file on disk (as a phone's gallery gives it), so that the page's JS heap holds
// no copy the harness made (a buffer would be built into a File inside the page).
const { mkdtempSync, writeFileSync } = await import('node:fs');
const photoPath = (await import('node:path')).join(mkdtempSync((await import('node:path')).join(os.tmpdir(), 'ruhu-photo-')), 'image.jpg');
writeFileSync(photoPath, original);
console.log(`input: 4000×3000 JPEG with GPS EXIF, ${(original.length / 1024).toFixed(0)} KB`);

const mb = (b) => (b / 1024 / 1024).toFixed(1);

async function attachOnce(throttle) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await page.evaluate(() => {
    const w = (window.__photo = { t0: 0, t1: 0 });
    const seen = new Set([...document.querySelectorAll('[data-testid=photo-card]')].map((c) => c.dataset.attachment));
    document.addEventListener('change', () => { w.t0 = performance.now(); }, { capture: true, once: true });
    const obs = new MutationObserver(() => {
      for (const c of document.querySelectorAll('[data-testid=photo-card]')) {
        if (!seen.has(c.dataset.attachment) && c.querySelector('img[src^="blob:"]')) {
          w.t1 = performance.now();
          w.id = c.dataset.attachment;
          obs.disconnect();
        }
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      peak = Math.max(peak, usedSize);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await page.locator('#f-evidence .add-photo input[type=file]').setInputFiles(photoPath);
  await page.waitForFunction(() => window.__photo.t1 > 0, null, { timeout: 120_000 });
  sampling = false;
  await sampler;
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const { t0, t1, id } = await page.evaluate(() => window.__photo);
  await cdp.send('HeapProfiler.collectGarbage');
  const after = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const card = page.locator(`[data-attachment="${id}"] .photo-size`);
  console.log(
    `attach at ${throttle}× CPU: processed in ${(t1 - t0).toFixed(0)} ms; stored ${(await card.textContent()).trim()};` +
      ` JS heap ${mb(before)} MB before, peak +${mb(peak - before)} MB, +${mb(after - before)} MB after GC`,
  );
  return id;
}

const firstId = await attachOnce(1);
await attachOnce(4);
await attachOnce(1);

// 50 photos: the stored photo's bytes under 50 ids, the record naming them.
await page.locator('.save-status[data-save-state="saved"]').waitFor();
await page.waitForTimeout(500);
await page.evaluate(async ({ recordId, firstId }) => {
  const db = await new Promise((res, rej) => { const o = indexedDB.open('ruhu'); o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
  const get = (store, key) => new Promise((res, rej) => { const r = db.transaction(store).objectStore(store).get(key); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  const photo = await get('attachments', firstId);
  const stored = await get('records', recordId);
  const rec = JSON.parse(new TextDecoder().decode(stored.json));
  const a0 = rec.attachments.find((a) => a.id === firstId);
  const tx = db.transaction(['attachments', 'records'], 'readwrite');
  rec.attachments = [];
  for (let i = 0; i < 50; i++) {
    const id = `00000000-0000-4000-8000-${String(5000 + i).padStart(12, '0')}`;
    tx.objectStore('attachments').put({ ...photo, id });
    rec.attachments.push({ ...a0, id, caption: `照片${i + 1}`, path: i % 3 ? '' : 'guarantees.dangerous_house' });
  }
  rec.revision += 1;
  tx.objectStore('records').put({ ...stored, revision: rec.revision, json: new TextEncoder().encode(JSON.stringify(rec)) });
  await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
  db.close();
}, { recordId, firstId });

for (let run = 0; run < 3; run++) {
  await page.goto(`${BASE_URL}#/`);
  await page.waitForTimeout(300);
  await page.goto(`${APP}#/h/${recordId}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-card]').length === 50 && document.querySelector('input[name="address.village"]:enabled'), null, { timeout: 60_000 });
  const openMs = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=photo-card] img[src^="blob:"]').length === 50, null, { timeout: 60_000 });
  const thumbsMs = await page.evaluate(() => performance.now());
  console.log(`record with 50 photos, open ${run + 1}: form with 50 cards at ${openMs.toFixed(0)} ms after navigation start; 50 thumbnails at ${thumbsMs.toFixed(0)} ms`);
}

// Keystrokes with 50 photos.
await page.evaluate(() => {
  const perf = (window.__perf = { frames: [], inputs: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'input') perf.inputs.push(e.processingEnd - e.processingStart);
  }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  let keyAt = 0;
  window.addEventListener('keydown', (e) => { keyAt = e.timeStamp; }, { capture: true });
  window.addEventListener('input', () => {
    const key = keyAt;
    requestAnimationFrame(() => {
      const c = new MessageChannel();
      c.port1.onmessage = () => perf.frames.push(performance.now() - key);
      c.port2.postMessage(0);
    });
  }, { capture: true });
});
const village = page.locator('input[name="address.village"]');
await village.click();
await page.keyboard.press('End');
await page.waitForTimeout(400);
const keys = [];
for (let r = 0; r < 5; r++) keys.push('a', 'b', 'c', 'd', 'e', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'Backspace');
for (let i = 0; i < keys.length; i++) {
  await page.keyboard.press(keys[i]);
  await page.waitForFunction((n) => window.__perf.frames.length >= n, i + 1);
}
await page.waitForTimeout(200);
const perf = await page.evaluate(() => window.__perf);
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : 'n/a');
  return `median ${q(0.5)} p90 ${q(0.9)} max ${q(1)}`;
};
console.log(`keystroke in A1 village with 50 photos (50 keys): input work ms ${stats(perf.inputs)} | key→frame ms ${stats(perf.frames)}`);

await browser.close();
