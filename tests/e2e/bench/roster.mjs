// Benchmark: the roster page (roster.html, 花名册核对) with a banner's roster — 30,000 persons
// in about 9,000 households, 36 columns, as .xlsx — read and reconciled against 6,000 stored
// records, in Chromium. Prints figures (no timing is asserted); the target is under 2 s
// (issue 12).
//
//   ./x.sh build                                  # a release build in dist/
//   node tests/e2e/bench/roster.mjs [DIR]
//
// DIR holds roster-30000.xlsx and records-6000.json; without it they are written to
// /tmp/ruhu-roster-bench by `cargo run --example roster-fixture -- --bench DIR` (the same
// roster and records as `cargo bench --bench roster`). The script serves dist/ itself (or uses
// BASE_URL), stores the records in the app's IndexedDB, then RUNS times (default 3):
//   import  = picking the .xlsx in 导入花名册: the page's read (roster::read, from the page's
//             `ruhu-bench roster read` console line) and reconcile (`ruhu-bench roster
//             reconcile`), and the time from the pick to the village table updated;
//   cold    = a fresh load of roster.html#/roster/ledger with the roster kept: navigation to
//             the 机账实核对台账 (of the first village, as it opens) in the document (wasm start,
//             reading the kept file and the 6,000 records from IndexedDB, read, reconcile,
//             render), with the page's performance marks;
//   all     = then 全部村 picked: the whole banner's ledger (about 9,000 rows) in the document.
// And the page's first-load bytes (roster.html and what it names, the manifest's icons, sw.js;
// raw and gzip -9), as `./x.sh size` counts them.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const RUNS = Number(process.env.RUNS ?? 3);
const DIST = path.join(ROOT, process.env.DIST ?? 'dist');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** First-load files of a page, as x.sh's page_files lists them. */
function pageFiles(page) {
  const html = fs.readFileSync(path.join(DIST, page), 'utf8');
  const named = [...html.matchAll(/[A-Za-z0-9_./-]+\.(css|js|wasm|webmanifest|png|svg)/g)].map((m) => m[0].replace(/^\.?\//, ''));
  const manifest = fs.readFileSync(path.join(DIST, 'manifest.webmanifest'), 'utf8');
  const icons = [...manifest.matchAll(/"src": *"([^"]+)"/g)].map((m) => m[1]);
  return [...new Set([page, ...named, ...icons, 'sw.js'])].filter((f) => fs.existsSync(path.join(DIST, f)));
}

function sizes(page) {
  let raw = 0;
  let gz = 0;
  const lines = [];
  for (const f of pageFiles(page)) {
    const b = fs.readFileSync(path.join(DIST, f));
    const g = zlib.gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += g;
    lines.push(`  ${f.padEnd(46)} ${String(b.length).padStart(10)} ${String(g).padStart(10)}`);
  }
  return { raw, gz, lines };
}

async function main() {
  const dir = process.argv[2] ?? '/tmp/ruhu-roster-bench';
  const xlsx = path.join(dir, 'roster-30000.xlsx');
  const recordsFile = path.join(dir, 'records-6000.json');
  if (!fs.existsSync(xlsx) || !fs.existsSync(recordsFile)) {
    console.error('writing the roster and the records (cargo run --example roster-fixture -- --bench)…');
    execFileSync('cargo', ['run', '--example', 'roster-fixture', '--', '--bench', dir], { cwd: ROOT, stdio: 'inherit' });
  }
  if (!fs.existsSync(path.join(DIST, 'roster.html'))) throw new Error('no roster.html in dist/: run ./x.sh build first');
  let server;
  if (!process.env.BASE_URL) {
    const port = await freePort();
    server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', DIST], { stdio: 'ignore' });
    process.env.BASE_URL = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise((r) => net.connect(port, '127.0.0.1').on('connect', function () { this.end(); r(true); }).on('error', () => r(false)));
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const { BASE_URL, launch, seededPage, settingsFor } = await import('../lib/township.mjs');
  const batch = JSON.parse(fs.readFileSync(recordsFile, 'utf8'));
  const browser = await launch();
  try {
    const { page, errors } = await seededPage(browser, batch.records, settingsFor(batch.policy));
    const logged = [];
    page.on('console', (m) => {
      const t = m.text();
      if (t.startsWith('ruhu-bench roster')) logged.push(t);
    });
    const last = (what) => {
      const line = logged.filter((l) => l.startsWith(`ruhu-bench roster ${what}`)).at(-1);
      return line ? Number(/ms=([\d.]+)/.exec(line)[1]) : NaN;
    };
    const imports = [];
    const colds = [];
    let counts = '';
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${BASE_URL}roster.html?run=${i}#/roster`);
      await page.getByLabel('导入花名册').waitFor({ state: 'attached' });
      await page.locator('.roster-import').waitFor();
      logged.length = 0;
      const t0 = Date.now();
      await page.getByLabel('导入花名册').setInputFiles(xlsx);
      await page.locator('[data-roster-imported]').waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => {
        const t = document.querySelector('table.roster-villages td[data-col="visited"]');
        return t && Number(t.textContent) > 0;
      }, null, { timeout: 120_000 });
      const pickToTable = Date.now() - t0;
      imports.push({ read: last('read'), reconcile: last('reconcile'), total: pickToTable });
      counts = (await page.locator('[data-roster-imported]').textContent()).trim();

      logged.length = 0;
      await page.goto(`${BASE_URL}roster.html?cold=${i}#/roster/ledger`);
      await page.locator('table.reconcile-ledger').waitFor({ timeout: 120_000 });
      const nav = await page.evaluate(() => performance.now());
      const marks = await page.evaluate(() => {
        const at = (n) => performance.getEntriesByName(n).at(-1)?.startTime ?? NaN;
        return { start: at('roster-start'), loaded: at('roster-loaded'), read: at('roster-read'), reconciled: at('roster-reconciled') };
      });
      const t1 = Date.now();
      await page.locator('select[name="roster-village"]').selectOption({ label: '全部村' });
      await page.waitForFunction(() => document.querySelectorAll('table.reconcile-ledger tbody tr').length > 5000, null, { timeout: 120_000 });
      const all = Date.now() - t1;
      colds.push({ read: last('read'), reconcile: last('reconcile'), total: nav, all, ...Object.fromEntries(Object.entries(marks).map(([k, v]) => [`at_${k}`, v])) });
    }
    const rows = await page.locator('table.reconcile-ledger tbody tr').count();
    if (errors.length) console.error('page errors:', errors);
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const f = (runs, k) => median(runs.map((r) => r[k])).toFixed(0).padStart(6);
    console.log(`roster page: ${counts} — against ${batch.records.length} records; the ledger has ${rows} rows`);
    console.log(`median of ${RUNS} runs, Chromium ${browser.version()}, ${process.env.BASE_URL}`);
    console.log(`import  read ${f(imports, 'read')} ms  reconcile ${f(imports, 'reconcile')} ms  pick → village table ${f(imports, 'total')} ms`);
    console.log(`cold    read ${f(colds, 'read')} ms  reconcile ${f(colds, 'reconcile')} ms  navigation → ledger ${f(colds, 'total')} ms`);
    console.log(`cold    marks from navigation: page start ${f(colds, 'at_start')}, kept file and records read ${f(colds, 'at_loaded')}, ` +
      `roster read ${f(colds, 'at_read')}, reconciled ${f(colds, 'at_reconciled')} ms`);
    console.log(`all     全部村 picked → the whole ledger (${rows} rows) in the document ${f(colds, 'all')} ms`);
    const s = sizes('roster.html');
    console.log(`first load of roster.html (raw, gzip -9):\n${s.lines.join('\n')}`);
    console.log(`ROSTER PAGE first load ${s.raw} bytes, ${(s.gz / 1024).toFixed(1)} KB gzip`);
    for (const p of ['office.html', 'index.html']) {
      const o = sizes(p);
      console.log(`${p} first load ${(o.gz / 1024).toFixed(1)} KB gzip (for comparison)`);
    }
  } finally {
    await browser.close();
    server?.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
