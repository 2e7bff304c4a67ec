// Benchmark: the township office's 汇总 page over 5,000 stored records, in Chromium.
//
//   ./x.sh build                                  # a release build in dist/
//   node tests/e2e/bench/township.mjs [records.json]
//
// Without an argument the records are made by the core generator (4,500 households in 12
// villages, with their earlier visits and older revisions), and the first 5,000 records the
// device would keep are stored:
//   cargo run --release --example township-fixture -- 4500 12 2023 /tmp/ruhu-township-4500.json
// The script serves dist/ itself (or uses BASE_URL), stores the records in the app's IndexedDB,
// then opens #/township RUNS times and prints, from the app's performance marks:
//   load     = reading every record from IndexedDB and decoding it (store.list())
//   compute  = township::view (latest visits, evaluations, figures, 4 ledgers, 2 charts), once
//   render   = the village table in the document
//   total    = the page's start to the table in the document; +frame = to the next painted frame
// and the same for a cold start (a fresh page load at #/township, wasm start included).

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const RUNS = Number(process.env.RUNS ?? 7);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  let file = process.argv[2];
  if (!file) {
    file = '/tmp/ruhu-township-4500.json';
    if (!fs.existsSync(file)) {
      console.error('generating the records with the core generator…');
      execFileSync('cargo', ['run', '--release', '--example', 'township-fixture', '--', '4500', '12', '2023', file], { cwd: ROOT, stdio: 'inherit' });
    }
  }
  let server;
  if (!process.env.BASE_URL) {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'index.html'))) throw new Error('no dist/: run ./x.sh build first');
    const port = await freePort();
    server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(ROOT, 'dist')], { stdio: 'ignore' });
    process.env.BASE_URL = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise((r) => net.connect(port, '127.0.0.1').on('connect', function () { this.end(); r(true); }).on('error', () => r(false)));
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // Imported after BASE_URL is known.
  const { BASE_URL, launch, seededPage, settingsFor, storedRecords } = await import('../lib/township.mjs');
  const batch = JSON.parse(fs.readFileSync(file, 'utf8'));
  const stored = storedRecords(batch.records).slice(0, Number(process.env.RECORDS ?? 5000));
  const browser = await launch();
  try {
    const { page, errors } = await seededPage(browser, stored, settingsFor(batch.policy));
    const marks = () =>
      page.evaluate(() => {
        const at = (n) => performance.getEntriesByName(n).at(-1)?.startTime;
        return { start: at('township-start'), loaded: at('township-loaded'), computed: at('township-computed'), rendered: at('township-rendered') };
      });
    const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now())))));

    const warm = [];
    const cold = [];
    for (let i = 0; i < RUNS; i++) {
      // Warm: the office's app is running (on a print page of no record, which reads no
      // records); 汇总 is tapped.
      await page.goto(BASE_URL + 'office.html#/h/none/print');
      await page.locator('h1').first().waitFor();
      await page.evaluate(() => performance.clearMarks());
      await page.evaluate(() => { location.hash = '#/township'; });
      await page.locator('[data-testid=village-table]').waitFor({ timeout: 60000 });
      const painted = await frame();
      warm.push({ ...(await marks()), painted });
      // Cold: a fresh page load straight to #/township.
      await page.goto(`${BASE_URL}office.html?run=${i}#/township`);
      await page.locator('[data-testid=village-table]').waitFor({ timeout: 60000 });
      const painted2 = await frame();
      cold.push({ ...(await marks()), painted: painted2 });
    }
    const households = await page.getByTestId('township-count').textContent();
    if (errors.length) console.error('page errors:', errors);

    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const row = (name, runs, from) => {
      const f = (k1, k0) => median(runs.map((r) => r[k1] - r[k0])).toFixed(0).padStart(6);
      console.log(
        `${name.padEnd(6)} load ${f('loaded', 'start')} ms  compute ${f('computed', 'loaded')} ms  render ${f('rendered', 'computed')} ms  ` +
          `total ${f('rendered', from)} ms  +frame ${f('painted', from)} ms`,
      );
    };
    console.log(`township view over ${stored.length} stored records (${batch.records.length} in the file) — ${households.trim()}`);
    console.log(`median of ${RUNS} runs, Chromium ${browser.version()}, ${process.env.BASE_URL}`);
    row('warm', warm, 'start');
    // Cold "total" counts from the navigation's start (wasm download and start included).
    for (const r of cold) r.nav = 0;
    row('cold', cold, 'nav');
  } finally {
    await browser.close();
    server?.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
