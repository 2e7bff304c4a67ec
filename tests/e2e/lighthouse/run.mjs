// Lighthouse (mobile form factor, default simulated throttling: Moto G Power, slow 4G, 4× CPU)
// on the built pages. Run by `./x.sh lighthouse`, which serves an existing dist/ at BASE_URL;
// a measurement, not a test: it prints figures and exits 0 (with --strict: 1 when a score of
// performance, accessibility or best practices is under MIN_SCORE).
//
//   BASE_URL=http://127.0.0.1:PORT/ node run.mjs [--strict]
//
// Pages: the surveyor's home and the office's 汇总 as a first visit sees them (nothing stored),
// then the same with the six records of tests/fixtures/batch-2023q1.json imported through the
// page's 导入记录 (home with records, a draft's form with its findings, 汇总 with figures and
// charts). For those, the store is filled in the same browser first, the service worker and its
// caches and the HTTP cache are cleared, and Lighthouse runs without its storage reset.
//
// Prints one line per page with the category scores and the key metrics, then, for each
// category under MIN_SCORE (and for accessibility, best practices and SEO under 100), the
// audits that cost points (id, title, displayValue). The JSON and
// HTML reports go to LH_OUT (default: ./reports/).
import lighthouse from 'lighthouse';
import { ReportGenerator } from 'lighthouse/report/generator/report-generator.js';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QUIET } from '../lib/chromium-flags.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.LH_OUT || path.join(import.meta.dirname, 'reports');
const MIN_SCORE = Number(process.env.MIN_SCORE || 95);
const STRICT = process.argv.includes('--strict');
// Each page is measured RUNS times in a fresh browser and the run with the median performance
// score is reported (simulated metrics still vary with the local timing of the trace).
const RUNS = Math.max(1, Number(process.env.LH_RUNS || 3));
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

const BATCH = path.join(import.meta.dirname, '../../fixtures/batch-2023q1.json');
const DRAFT_ID = '0fcfb43e-b000-49f9-9367-bfeae135430a'; // 何金山 (draft, six errors)
const PAGES = [
  { name: 'surveyor', path: 'index.html' }, // 入户排查 (the start page), nothing stored
  { name: 'office', path: 'office.html' }, // 乡镇汇总, nothing stored
  { name: 'records', path: 'index.html', seed: true }, // 入户排查 with six households (the start page, from the snapshot)
  { name: 'app', path: 'app.html', seed: true }, // the same list in the full app (computed from the records)
  { name: 'form', path: `app.html#/h/${DRAFT_ID}`, seed: true }, // a draft's form
  { name: 'office+', path: 'office.html', seed: true }, // 乡镇汇总 with figures and charts
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const GATED = ['performance', 'accessibility', 'best-practices'];
const METRICS = [
  ['FCP', 'first-contentful-paint'],
  ['LCP', 'largest-contentful-paint'],
  ['TBT', 'total-blocking-time'],
  ['SI', 'speed-index'],
  ['CLS', 'cumulative-layout-shift'],
  ['TTI', 'interactive'],
];
// No network here, and nothing should phone home during a measurement.
const CHROME_FLAGS = ['--headless=new', ...QUIET];

const score = (c) => (c.score === null ? '—' : String(Math.round(c.score * 100)));

/** The audits of a category that cost it points, worst first. */
function failing(lhr, categoryId) {
  const category = lhr.categories[categoryId];
  // Performance: the metrics and the insights Lighthouse shows as not passed (score < 0.9);
  // elsewhere every audit that did not pass.
  const pass = categoryId === 'performance' ? 0.9 : 1;
  return category.auditRefs
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < pass &&
      !['notApplicable', 'manual', 'informative', 'error'].includes(audit.scoreDisplayMode))
    .sort((a, b) => b.ref.weight - a.ref.weight || a.audit.score - b.audit.score);
}

/** Imports the batch through the home page's 导入记录 (the start page hands it to the full app),
 * waits until the full app has kept the list's snapshot, then leaves only the stored data. */
async function seed(port) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: null });
  try {
    const page = await browser.newPage();
    await page.goto(new URL('index.html', BASE_URL).href);
    const input = await page.waitForSelector('#import-records', { timeout: 60_000 });
    await input.uploadFile(BATCH);
    await page.waitForSelector('.import-report [data-testid="import-summary"]', { timeout: 60_000 });
    await page.waitForSelector(`a[href="#/h/${DRAFT_ID}"]`, { timeout: 60_000 });
    await page.waitForSelector('section.home[data-snapshot="kept"]', { timeout: 60_000 });
    await page.evaluate(async () => {
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
      for (const k of await caches.keys()) await caches.delete(k);
    });
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCache');
    await page.close();
  } finally {
    browser.disconnect();
  }
}

async function measure(page) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS });
  try {
    const url = new URL(page.path, BASE_URL).href;
    if (page.seed) await seed(chrome.port);
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      disableStorageReset: Boolean(page.seed),
    });
    if (!result) throw new Error(`no Lighthouse result for ${url}`);
    return result.lhr;
  } finally {
    await chrome.kill();
  }
}

/** The JSON and HTML reports of a page's reported run. */
async function writeReports(page, lhr) {
  const base = path.join(OUT, page.name.replace('+', '-data'));
  await writeFile(`${base}.json`, JSON.stringify(lhr));
  await writeFile(`${base}.html`, ReportGenerator.generateReportHtml(lhr));
}

await mkdir(OUT, { recursive: true });
let under = false;
let lighthouseVersion = '';
for (const page of PAGES) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(page));
  const perf = (r) => r.categories.performance.score ?? 0;
  const lhr = [...runs].sort((a, b) => perf(a) - perf(b))[Math.floor((runs.length - 1) / 2)];
  await writeReports(page, lhr);
  lighthouseVersion = lhr.lighthouseVersion;
  if (lhr.runtimeError) console.log(`${page.path}: runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  for (const w of lhr.runWarnings || []) console.log(`${page.path}: warning: ${w}`);
  const scores = CATEGORIES.map((id) => `${id} ${score(lhr.categories[id])}`).join('  ');
  const metrics = METRICS.map(([label, id]) => `${label} ${lhr.audits[id]?.displayValue ?? '—'}`).join('  ');
  console.log(`${page.name.padEnd(8)} ${page.path.replace(DRAFT_ID, '…').padEnd(13)} ${scores}  |  ${metrics}`);
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (category.score === null) continue;
    const low = category.score * 100 < MIN_SCORE;
    if (low && GATED.includes(id)) under = true;
    // Performance audits only under MIN_SCORE; elsewhere every failed audit (there are few).
    if (!low && (id === 'performance' || category.score === 1)) continue;
    for (const { ref, audit } of failing(lhr, id)) {
      const value = audit.displayValue ? ` — ${audit.displayValue}` : '';
      const weight = ref.weight ? ` [weight ${ref.weight}, score ${audit.score}]` : ` [score ${audit.score}]`;
      console.log(`    ${id}: ${audit.id}: ${audit.title}${value}${weight}`);
    }
  }
}
console.log(`(Lighthouse ${lighthouseVersion} mobile, simulated throttling; median of ${RUNS} run(s) by performance; reports in ${OUT})`);
if (STRICT && under) process.exit(1);
