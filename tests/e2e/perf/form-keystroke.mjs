// Keystroke cost of the household form with 30 members, in headless Chromium. Prints figures;
// it is not a test (nothing fails on a number). See tests/bench/README.md (The household form: keystroke cost) for how to read them.
//
//   ./x.sh build                      # a release dist/
//   python3 -m http.server 8090 --bind 127.0.0.1 --directory dist &
//   BASE_URL=http://127.0.0.1:8090/ node tests/e2e/perf/form-keystroke.mjs [--throttle 4] [--lock]
//
// --lock turns the app lock on (设置 › 应用锁) after storing the record, so that every
// keystroke's journal entry and every save is sealed (AES-256-GCM, `store::vault`).
//
// For each scenario it types 50 keystrokes, one at a time (see the measurement below).
// It also reports Chromium's own per-keystroke averages from the DevTools Performance domain
// (script, style and layout time on the main thread), and counts the Event Timing entries of
// 16 ms or more. A plain <input> outside the app is measured first: the harness's own figures
// under the machine's current load.

import { chromium } from '../node_modules/playwright-core/index.mjs';

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8090/';
const args = process.argv.slice(2);
const throttle = Number(args[args.indexOf('--throttle') + 1] || 0) || 1;
const MEMBERS = 30;
const LOCK = args.includes('--lock');

function makeId(birth, seq) {
  const first17 = '150722' + birth.replaceAll('-', '') + String(seq).padStart(3, '0');
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

function uuid(n) {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A complete, valid `ruhu.household/1` record with `n` members. */
function household(n) {
  const relations = ['head', 'spouse', 'son', 'daughter', 'grandson', 'granddaughter', 'daughter_in_law', 'other'];
  const members = [];
  for (let i = 0; i < n; i++) {
    const year = 1950 + ((i * 7) % 60);
    const birth = `${year}-0${1 + (i % 9)}-1${i % 10}`;
    const seq = 10 + i * 2 + (i % 2); // odd 17th digit: male
    members.push({
      id: uuid(1000 + i), name: `成员${i + 1}`, sex: i % 2 ? 'male' : 'female', id_type: 'resident_id',
      id_number: makeId(birth, seq), relation: i === 0 ? 'head' : i === 1 ? 'spouse' : relations[2 + (i % 6)],
      ethnicity: '达斡尔族', political: 'masses', health: ['healthy'], education: 'junior', labor: 'ordinary',
      work_area: null, medical_insurance: true, critical_illness_insurance: true, medical_assistance: false,
      dibao: false, tekun: false, pension_insurance: true, relocated: false,
    });
  }
  for (const m of members) {
    // The sex must match the 17th digit.
    m.sex = Number(m.id_number[16]) % 2 ? 'male' : 'female';
  }
  const measure = { applied: false, items: [], other: '' };
  return {
    format: 'ruhu.household/1', id: uuid(1), household_id: uuid(2), revision: 1, status: 'draft',
    created_at: '2023-02-20T09:00:00+08:00', updated_at: '2023-02-20T09:00:00+08:00',
    visit: { date: '2023-02-20', period_start: '2022-02-20', period_end: '2023-02-20', surveyor: '李明', assessors: ['王芳', '赵强'] },
    address: { banner: '莫力达瓦达斡尔族自治旗', township: '额尔和乡', village: '额尔和村', group: '一组' },
    category: 'general', resettlement_site: false, phone: '13912345678', monitoring: { identified_on: null },
    members,
    income: { production: '60000.00', wage: '200000.00', property: '0.00', transfer: '12000.00', production_cost: '20000.00', other_expense: null, other_expense_note: '' },
    guarantees: { dropout: false, all_insured: true, safe_water: true, water_issues: [], dangerous_house: false, house_grade: null },
    judgement: { at_risk: false, identify: false, reason: '' },
    risk: { types: [], disaster_types: [], other_note: '' },
    measures: Object.fromEntries(['industry', 'employment', 'finance', 'ecology', 'public_post', 'education', 'health', 'living', 'infrastructure', 'social_security', 'motivation', 'other'].map((k) => [k, { ...measure }])),
    elimination: { eliminated: null, method: null, marked_in_system: null, months: null },
    attachments: [],
  };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
const page = await context.newPage();
page.on('pageerror', (e) => console.error('page error:', e.message));

// Open the app once so that it creates its database, then store the record in it.
await page.goto(BASE_URL);
await page.getByRole('button', { name: '新建入户' }).waitFor();
const record = household(MEMBERS);
// Stored as src/store/idb.rs keeps records: `{ id, household_id, revision, updated_at, json }`,
// `json` the record's JSON as UTF-8 bytes.
await page.evaluate(
  (rec) =>
    new Promise((resolve, reject) => {
      const open = indexedDB.open('ruhu');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction(['records'], 'readwrite');
        const json = new TextEncoder().encode(JSON.stringify(rec));
        tx.objectStore('records').put({ id: rec.id, household_id: rec.household_id, revision: rec.revision, updated_at: rec.updated_at, json });
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }),
  record,
);
if (LOCK) {
  await page.goto(`${BASE_URL}app.html#/settings`);
  const section = page.getByTestId('app-lock');
  await section.getByLabel('新密码', { exact: true }).fill('864209');
  await section.getByLabel('确认新密码', { exact: true }).fill('864209');
  await section.getByRole('button', { name: '开启应用锁' }).click();
  await section.getByRole('button', { name: '确定' }).click();
  await section.getByText('应用锁已开启：本机保存的记录').waitFor({ timeout: 60_000 });
}
await page.goto(`${BASE_URL}app.html#/h/${record.id}`);
await page.locator('.hh-form').waitFor();
await page.locator('.hh-members > li').nth(MEMBERS - 1).waitFor();

const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });

async function metrics() {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

// In-page measurement: one sample per keystroke.
// - work: the `input` event's processing time from the Event Timing API (processingEnd −
//   processingStart): the app's handler plus the microtasks it queues, which is where Leptos
//   runs the reactive updates and writes the DOM. (Chromium reports an event only when its
//   event-to-paint duration is 16 ms or more, which in headless Chromium is every keystroke;
//   a missing entry is counted in `unreported`.)
// - frame: from the keydown's timestamp to a task posted from the next animation frame.
await page.evaluate(() => {
  const perf = (window.__perf = { frames: [], inputs: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'input') perf.inputs.push({ work: e.processingEnd - e.processingStart, duration: e.duration });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  let keyAt = 0;
  window.addEventListener('keydown', (e) => { keyAt = e.timeStamp; }, { capture: true });
  window.addEventListener('input', () => {
    const key = keyAt;
    requestAnimationFrame(() => {
      const afterFrame = new MessageChannel();
      afterFrame.port1.onmessage = () => perf.frames.push(performance.now() - key);
      afterFrame.port2.postMessage(0);
    });
  }, { capture: true });
});

const KEYS = [];
for (let r = 0; r < 5; r++) KEYS.push('1', '2', '3', '4', '5', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'Backspace');
const NAME_KEYS = [];
for (let r = 0; r < 5; r++) NAME_KEYS.push('a', 'b', 'c', 'd', 'e', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'Backspace');

async function typeInto(selector, keys) {
  const input = page.locator(selector);
  await input.scrollIntoViewIfNeeded();
  await input.click();
  await page.waitForTimeout(400); // let a pending autosave pass
  await page.evaluate(() => { window.__perf.frames = []; window.__perf.inputs = []; });
  const before = await metrics();
  for (let i = 0; i < keys.length; i++) {
    await page.keyboard.press(keys[i]);
    await page.waitForFunction((n) => window.__perf.frames.length >= n, i + 1);
  }
  await page.waitForTimeout(200); // the last Event Timing entries
  const after = await metrics();
  const perKey = (k) => ((after[k] - before[k]) * 1000) / keys.length;
  const perf = await page.evaluate(() => window.__perf);
  perf.script = perKey('ScriptDuration');
  perf.style = perKey('RecalcStyleDuration');
  perf.layout = perKey('LayoutDuration');
  return perf;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}

function report(label, perf) {
  const work = stats(perf.inputs.map((x) => x.work));
  const frame = stats(perf.frames);
  const f = (x) => (x === undefined ? '   n/a' : x.toFixed(1).padStart(6));
  const unreported = perf.frames.length - perf.inputs.length;
  console.log(
    `${label.padEnd(40)} input work ms median ${f(work.median)} p90 ${f(work.p90)} max ${f(work.max)}` +
      ` | key→frame median ${f(frame.median)} p90 ${f(frame.p90)}` +
      ` | per key: script ${f(perf.script)} style ${f(perf.style)} layout ${f(perf.layout)}` +
      (unreported ? ` | unreported: ${unreported}` : ''),
  );
}

const os = await import('node:os');
console.log(`ruhu form keystroke figures: ${MEMBERS} members, 50 keystrokes each, CPU throttle ${throttle}×,${LOCK ? ' app lock on (sealed journal and saves),' : ''} Chromium ${browser.version()}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
// Baseline: a plain input outside the app (no app code runs on its keystrokes).
await page.evaluate(() => {
  const i = document.createElement('input');
  i.id = 'perf-baseline';
  i.style.cssText = 'position:fixed;top:60px;left:0;width:200px;z-index:99';
  document.body.append(i);
});
report('baseline: a plain <input> (no app code)', await typeInto('#perf-baseline', NAME_KEYS));
await page.evaluate(() => document.getElementById('perf-baseline').remove());
const mid = Math.floor(MEMBERS / 2);
// Cards closed (the default on a phone): one card open, its name typed.
await page.locator(`#f-members-${mid} summary`).click();
report(`A3 name of member ${mid + 1} (1 card open)`, await typeInto(`#f-members-${mid}-name input`, NAME_KEYS));
report(`A6 ID of member ${mid + 1} (1 card open)`, await typeInto(`#f-members-${mid}-id_number input`, KEYS));
report('A22 wage (1 card open)', await typeInto('#f-income-wage input', KEYS));
// Every card open: 30 × 20 questions on the page.
for (let i = 0; i < MEMBERS; i++) {
  if (i !== mid) await page.locator(`#f-members-${i} summary`).click();
}
await page.locator(`#f-members-${MEMBERS - 1}-relocated`).waitFor();
const widgets = await page.locator('.q').count();
report(`A3 name of member ${mid + 1} (all ${MEMBERS} cards open)`, await typeInto(`#f-members-${mid}-name input`, NAME_KEYS));
report(`A22 wage (all cards open, ${widgets} questions)`, await typeInto('#f-income-wage input', KEYS));

await browser.close();
