// Browser benchmark of sealed exports (issue 14: sealing an export of 5,000 records adds
// under 0.5 s). Not a test: it prints figures.
//
//   ./x.sh build                                   # dist/ (release)
//   node tests/e2e/bench/seal.mjs [RECORDS] [RUNS]  # default 5000 records, 3 runs
//
// It writes the records bench's file (`cargo run --release --example records_bench_file`,
// exactly RECORDS records of `sample::households(…, 12, 2023)`), serves dist/ on 127.0.0.1,
// and in Debian's headless Chromium on a 360 px phone imports it once into app.html, then
// RUNS times exports all (导出全部) without a key and RUNS times with a 乡镇公钥 (a key pair
// from `age-keygen`), reading the app's own `ruhu-bench export …` console lines: `write_batch`
// (the JSON), `seal` (age X25519 + armour: what sealing adds), the download, and the wall
// time from the tap to the result card. The last sealed file is opened with `age -d -i` to
// check it is the export. DIST=… serves another build folder; BASE_URL=… a running server;
// FILE=… a batch written before.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const records = Number(process.argv[2] || 5000);
const runs = Number(process.argv[3] || 3);

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

const dir = mkdtempSync(join(tmpdir(), 'ruhu-seal-bench-'));
// FILE=… uses a batch written before (by the same example) instead of writing one.
const file = process.env.FILE || join(dir, `records-${records}.json`);
if (!process.env.FILE) {
  console.error(`writing ${file} …`);
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'records_bench_file', '--', String(Math.ceil(records / 1.18)), file, String(records)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
const identity = join(dir, 'identity.txt');
execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
const recipient = /^# public key: (age1[0-9a-z]+)$/m.exec(readFileSync(identity, 'utf8'))[1];

const { url, stop } = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, acceptDownloads: true, serviceWorkers: 'block' });
const page = await context.newPage();
const lines = [];
page.on('console', (m) => {
  const t = m.text();
  if (t.startsWith('ruhu-bench export ')) {
    lines.push(Object.fromEntries(t.split(' ').slice(2).map((kv) => kv.split('=')).map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)])));
  }
});
await page.goto(new URL('app.html', url).href);
await page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
await page.getByLabel('导入记录').setInputFiles(file);
const summary = (await page.locator('.import-report[data-seq="1"]').getByTestId('import-summary').textContent({ timeout: 600_000 })).trim();
console.error(`imported: ${summary}`);
await page.getByTestId('list-count').waitFor({ timeout: 300_000 });

async function exportOnce() {
  lines.length = 0;
  const t0 = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.getByRole('button', { name: '导出全部' }).click()]);
  await page.locator('.export-result .file-name').waitFor();
  const wall = Date.now() - t0;
  while (!lines.length) await new Promise((r) => setTimeout(r, 10));
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { wall, ...lines[0], name: download.suggestedFilename(), path };
}

const plain = [];
for (let i = 0; i < runs; i++) plain.push(await exportOnce());
await page.evaluate((key) => {
  const s = JSON.parse(localStorage.getItem('ruhu.settings') || '{}');
  localStorage.setItem('ruhu.settings', JSON.stringify({ ...s, township_key: key }));
}, recipient);
await page.reload();
await page.getByTestId('list-count').waitFor({ timeout: 300_000 });
const sealed = [];
for (let i = 0; i < runs; i++) sealed.push(await exportOnce());
await browser.close();
stop();

const last = sealed.at(-1);
const opened = JSON.parse(execFileSync('age', ['-d', '-i', identity, last.path], { maxBuffer: 1 << 30 }).toString('utf8'));
if (opened.records.length !== plain[0].records) throw new Error(`age -d gave ${opened.records.length} records, not ${plain[0].records}`);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const row = (label, xs, f) => console.log(`${String(median(xs.map(f))).padStart(6)} ms  ${label}  (runs ${xs.map(f).join(', ')})`);
console.log(`sealed exports in the browser: ${plain[0].records} records, Chromium headless, ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg()[0].toFixed(1)}, ${runs} runs each`);
console.log(`  plain ${(statSync(plain.at(-1).path).size / 1e6).toFixed(1)} MB (${plain.at(-1).name}), sealed ${(statSync(last.path).size / 1e6).toFixed(1)} MB (${last.name}); age -d -i opens it: ${opened.records.length} records`);
row('write_batch, no key', plain, (r) => r.write_batch_ms);
row('write_batch, with key', sealed, (r) => r.write_batch_ms);
row('seal (age X25519 + armour): what sealing adds', sealed, (r) => r.seal_ms);
row('download, no key', plain, (r) => r.download_ms);
row('download, with key', sealed, (r) => r.download_ms);
row('tap to result card, no key', plain, (r) => r.wall);
row('tap to result card, with key', sealed, (r) => r.wall);
