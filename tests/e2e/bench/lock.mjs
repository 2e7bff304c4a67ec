// Browser benchmark of the app lock (not a test: it prints figures; tests/bench/README.md,
// App lock, records them with this command).
//
//   ./x.sh build
//   node tests/e2e/bench/lock.mjs [RECORDS] [RUNS]     # default 5000 records, 3 runs
//
// It writes a batch of 5,000 records (`cargo run --release --example records_bench_file`),
// serves dist/ on 127.0.0.1 and, in Debian's Chromium on a 360 px phone:
//   1. times PBKDF2-HMAC-SHA256 with 600,000 iterations (`crypto.subtle.deriveBits`, what an
//      unlock derives), at 1× and at 4× CPU throttling (CDP `Emulation.setCPUThrottlingRate`);
//   2. imports the file, then turns the lock on in 设置 (the pass that seals every record);
//   3. RUNS times, in a new tab (no session: the lock screen), at 1× and at 4×: from the tap
//      on 解锁 to the home list's rows on screen (the derivation, unwrapping the data key, then
//      the list's sealed snapshot opened when it holds — the first run after the sealing pass
//      has none — else every record read, opened and evaluated), and to the full list
//      (every record read, opened and evaluated: `data-snapshot="kept"`).
// DIST=… serves another build folder.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import os from 'node:os';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const records = Number(process.argv[2] || 5000);
const runs = Number(process.argv[3] || 3);
const PIN = '864209';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function serve() {
  const dist = process.env.DIST || join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('no dist/: run ./x.sh build first');
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/`, stop() { server.kill(); } };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'ruhu-lock-bench-'));
const file = join(dir, `records-${records}.json`);
console.error(`writing ${file} …`);
execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'records_bench_file', '--', String(records), file, String(records)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });

const { url, stop } = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  console.log(`ruhu lock figures: ${records} records, Chromium ${browser.version()}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  await page.goto(`${url}app.html#/`);
  await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();

  // 1. The key derivation alone.
  const cdp = await context.newCDPSession(page);
  for (const rate of [1, 4]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const ms = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 3; i++) {
        const base = await crypto.subtle.importKey('raw', new TextEncoder().encode('864209'), 'PBKDF2', false, ['deriveBits']);
        const t = performance.now();
        await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: crypto.getRandomValues(new Uint8Array(16)), iterations: 600000 }, base, 256);
        out.push(performance.now() - t);
      }
      return out;
    });
    console.log(`PBKDF2-SHA256 600,000 iterations at ${rate}× CPU: ${ms.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(ms).toFixed(0)})`);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  // 2. Import, then the lock on.
  const t0 = Date.now();
  await page.getByLabel('导入记录').setInputFiles(file);
  await page.locator('.import-report').waitFor({ timeout: 300_000 });
  console.log(`import: ${Date.now() - t0} ms`);
  await page.goto(`${url}app.html#/settings`);
  const section = page.getByTestId('app-lock');
  await section.getByLabel('新密码', { exact: true }).fill(PIN);
  await section.getByLabel('确认新密码', { exact: true }).fill(PIN);
  await section.getByRole('button', { name: '开启应用锁' }).click();
  const t1 = Date.now();
  await section.getByRole('button', { name: '确定' }).click();
  await section.getByText('应用锁已开启：本机保存的记录').waitFor({ timeout: 600_000 });
  console.log(`turning the lock on (derive + seal every stored value): ${Date.now() - t1} ms`);
  await page.close();

  // 3. Unlock and open the list, in a new tab each time.
  for (const rate of [1, 4]) {
    const times = [];
    const fulls = [];
    const kinds = [];
    const loads = [];
    for (let i = 0; i < runs; i++) {
      const tab = await context.newPage();
      const lines = [];
      tab.on('console', (m) => { if (m.text().startsWith('ruhu-bench home-load')) lines.push(m.text()); });
      await tab.goto(`${url}app.html#/`);
      await tab.getByRole('heading', { name: '应用已上锁' }).waitFor();
      const tcdp = await context.newCDPSession(tab);
      await tcdp.send('Emulation.setCPUThrottlingRate', { rate });
      await tab.getByLabel('密码', { exact: true }).fill(PIN);
      const start = Date.now();
      await tab.getByRole('button', { name: '解锁' }).click();
      await tab.locator('li.entry').first().waitFor({ timeout: 120_000 });
      times.push(Date.now() - start);
      const early = await tab.getByTestId('list-early').count();
      // The full list: every record read, opened and evaluated (the snapshot's note gone).
      await tab.locator('section.home[data-snapshot="kept"]').waitFor({ timeout: 300_000 });
      fulls.push(Date.now() - start);
      kinds.push(early ? 'snapshot' : 'full');
      loads.push(lines[0] || '');
      await tab.close();
    }
    console.log(`unlock → rows of ${records} sealed records on screen at ${rate}× CPU: ${times.join(', ')} ms (median ${median(times)}; first shown from: ${kinds.join(', ')})`);
    console.log(`unlock → the full list read, opened and evaluated at ${rate}× CPU: ${fulls.join(', ')} ms (median ${median(fulls)})`);
    for (const l of loads) console.log(`  ${l}`);
  }
} finally {
  await browser.close();
  stop();
}
