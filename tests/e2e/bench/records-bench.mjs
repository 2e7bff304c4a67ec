// Browser benchmark of export and import (not a test: it prints figures).
//
//   ./x.sh build                                  # dist/ (release)
//   node tests/e2e/bench/records-bench.mjs [HOUSEHOLDS]   # default 5000
//
// It writes a batch of `ruhu::core::sample::households(N, 12, 2023)` with
// `cargo run --release --example records_bench_file`, serves dist/ on 127.0.0.1, and on a
// fresh 360 px phone in Debian's Chromium:
//   1. imports the file through the 导入记录 input (empty store: every record is new),
//   2. imports it again (every record is already there: 未变),
//   3. exports all (导出全部) and waits for the download.
// For each it prints the wall time seen by the page's user (from picking the file / tapping
// the button to the result on screen) and the app's own phase timings (`ruhu-bench` lines
// on the console). DIST=… serves another build folder; BASE_URL=… uses a running server.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const households = Number(process.argv[2] || 5000);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function serve() {
  if (process.env.BASE_URL) return { url: process.env.BASE_URL, stop() {} };
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

const dir = mkdtempSync(join(tmpdir(), 'ruhu-bench-'));
const file = join(dir, `records-${households}.json`);
console.error(`writing ${file} …`);
execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'records_bench_file', '--', String(households), file], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
const mb = statSync(file).size / 1e6;

const { url, stop } = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, acceptDownloads: true, serviceWorkers: 'block' });
const page = await context.newPage();
const lines = [];
page.on('console', (m) => { if (m.text().startsWith('ruhu-bench ')) lines.push(m.text().slice('ruhu-bench '.length)); });
await page.goto(url);
await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();

const figures = [];

async function importOnce(label, n) {
  lines.length = 0;
  const t0 = Date.now();
  await page.getByLabel('导入记录').setInputFiles(file);
  const report = page.locator(`.import-report[data-seq="${n}"]`);
  await report.waitFor({ timeout: 300_000 });
  const wall = Date.now() - t0;
  const summary = (await report.getByTestId('import-summary').textContent()).trim();
  // The list under it is then reloaded (every household evaluated once): wait for its line.
  while (!lines.some((l) => l.startsWith('home-load'))) await new Promise((r) => setTimeout(r, 20));
  await page.getByTestId('list-count').waitFor({ timeout: 300_000 });
  const listWall = Date.now() - t0;
  const load = lines.filter((l) => l.startsWith('home-load')).pop();
  figures.push({ step: label, wall_ms: wall, detail: `${summary}; ${lines.filter((l) => l.startsWith('import')).join('  |  ')}` });
  figures.push({ step: `${label}, list reloaded`, wall_ms: listWall, detail: load });
  lines.length = 0;
}

await importOnce(`import ${households} households (new)`, 1);
await importOnce(`import the same file again (unchanged)`, 2);

lines.length = 0;
const t0 = Date.now();
const [download] = await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.getByRole('button', { name: '导出全部' }).click()]);
const wall = Date.now() - t0;
const saved = join(dir, 'exported.json');
await download.saveAs(saved);
await page.locator('.export-result').waitFor();
figures.push({ step: `export all`, wall_ms: wall, detail: `${download.suggestedFilename()} ${(statSync(saved).size / 1e6).toFixed(1)} MB; ${lines.filter((l) => l.startsWith('export')).join('  |  ')}` });

await browser.close();
stop();

const cpu = (await import('node:os')).cpus()[0]?.model ?? 'unknown CPU';
console.log(`records benchmark: ${households} households, file ${mb.toFixed(1)} MB, Chromium headless, ${cpu}`);
for (const f of figures) console.log(`${String(f.wall_ms).padStart(7)} ms  ${f.step}\n           ${f.detail}`);
