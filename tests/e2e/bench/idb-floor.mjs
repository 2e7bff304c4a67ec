// What IndexedDB itself costs in this Chromium, with no Rust involved (plain JavaScript in
// the page): the floor under the app's import and listing of records.
//
//   ./x.sh build && node tests/e2e/bench/idb-floor.mjs [RECORDS] [BYTES]   # default 5904 4400
//
// In one fresh database with the app's schema (`records` keyed by `id`, `history`
// auto-increment with an index `record_id`), each case writes RECORDS values of the app's
// shape in one readwrite transaction (every request issued at once, nothing awaited until
// `complete`) and prints the median of three runs. The value's `json` is a Uint8Array of
// BYTES bytes (the sample records average 4.4 KB of compact JSON). BASE_URL=… uses a
// running server instead of serving dist/.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const records = Number(process.argv[2] || 5904);
const bytes = Number(process.argv[3] || 4400);

async function serve() {
  if (process.env.BASE_URL) return { url: process.env.BASE_URL, stop() {} };
  const dist = process.env.DIST || join(ROOT, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('no dist/: run ./x.sh build first');
  const port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/`, stop() { server.kill(); } };
}

const { url, stop } = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ serviceWorkers: 'block' });
const page = await context.newPage();
await page.goto(url);

const results = await page.evaluate(async ({ records, bytes }) => {
  const req = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const done = (tx) => new Promise((ok, fail) => { tx.oncomplete = ok; tx.onerror = () => fail(tx.error); tx.onabort = () => fail(tx.error); });
  async function fresh() {
    const name = `floor-${Math.random()}`;
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('records', { keyPath: 'id' });
      const h = db.createObjectStore('history', { autoIncrement: true });
      h.createIndex('record_id', 'record_id', { unique: false });
      const b = db.createObjectStore('bundles', { autoIncrement: true });
      b.createIndex('ids', 'ids', { unique: false, multiEntry: true });
    };
    return { db: await req(open), name };
  }
  const uuid = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const payload = (n, i) => { const a = new Uint8Array(n); a.fill(97 + (i % 26)); return a; };
  const value = (i, n) => ({ id: uuid(i), household_id: uuid(i + 1e6), revision: 1, updated_at: '2023-02-20T09:12:00+08:00', json: payload(n, i) });

  // One case: a fresh database, `write(tx)` issues the requests, the time is until `complete`.
  async function time(write, options) {
    const { db, name } = await fresh();
    const t0 = performance.now();
    const tx = db.transaction(['records', 'history', 'bundles'], 'readwrite', options);
    const end = done(tx);
    write(tx);
    await end;
    const ms = performance.now() - t0;
    // Reading everything back, as the app's list does.
    const t1 = performance.now();
    const all = await req(db.transaction('records').objectStore('records').getAll());
    const bundles = await req(db.transaction('bundles').objectStore('bundles').getAll());
    const readBundlesMs = performance.now() - t1;
    const readMs = performance.now() - t1;
    const t2 = performance.now();
    const keys = await req(db.transaction('records').objectStore('records').getAllKeys());
    const keysMs = performance.now() - t2;
    db.close();
    await req(indexedDB.deleteDatabase(name));
    return { ms, readMs, keysMs, values: all.length + bundles.length, keys: keys.length };
  }
  const cases = {
    'record only (1 put each)': (tx) => { const r = tx.objectStore('records'); for (let i = 0; i < records; i++) r.put(value(i, bytes)); },
    'record + history entry (2 writes each, the old import)': (tx) => {
      const r = tx.objectStore('records'); const h = tx.objectStore('history');
      for (let i = 0; i < records; i++) { const v = value(i, bytes); r.put(v); h.add({ record_id: v.id, revision: 1, json: v.json }); }
    },
    'record + history + key lookup (the old put_all)': (tx) => {
      const r = tx.objectStore('records'); const h = tx.objectStore('history'); const idx = h.index('record_id');
      for (let i = 0; i < records; i++) { const v = value(i, bytes); r.put(v); h.add({ record_id: v.id, revision: 1, json: v.json }); }
      for (let i = 0; i < records; i++) idx.getAllKeys(IDBKeyRange.only(uuid(i)));
    },
    'record only, 30-byte values': (tx) => { const r = tx.objectStore('records'); for (let i = 0; i < records; i++) r.put(value(i, 30)); },
    'record only, durability relaxed': null,
    'records in values of 50 (not the app: the per-request cost)': (tx) => {
      const r = tx.objectStore('records');
      for (let i = 0; i < records; i += 50) {
        const chunk = [];
        for (let j = i; j < Math.min(i + 50, records); j++) chunk.push(value(j, bytes));
        r.put({ id: uuid(i), chunk });
      }
    },
    'bundles of 100 records, one byte array each, ids in a multi-entry index': (tx) => {
      const b = tx.objectStore('bundles');
      for (let i = 0; i < records; i += 100) {
        const n = Math.min(100, records - i);
        const ids = []; const revisions = []; const ends = []; const json = new Uint8Array(n * bytes);
        for (let j = 0; j < n; j++) { ids.push(uuid(i + j)); revisions.push(1); ends.push((j + 1) * bytes); json.set(payload(bytes, i + j), j * bytes); }
        b.add({ ids, revisions, ends, json });
      }
    },
  };
  const out = [];
  for (const [label, write] of Object.entries(cases)) {
    const runs = [];
    for (let k = 0; k < 3; k++) {
      runs.push(write ? await time(write) : await time(cases['record only (1 put each)'], { durability: 'relaxed' }));
    }
    runs.sort((a, b) => a.ms - b.ms);
    out.push({ label, ...runs[1], all: runs.map((r) => Math.round(r.ms)) });
  }
  return out;
}, { records, bytes });

await browser.close();
stop();
const cpu = (await import('node:os')).cpus()[0]?.model ?? 'unknown CPU';
console.log(`IndexedDB floor: ${records} values of ${bytes} bytes, one transaction each case, Chromium headless, ${cpu} (median of 3)`);
for (const r of results) {
  console.log(`${String(Math.round(r.ms)).padStart(6)} ms  ${r.label}   [runs ${r.all.join(', ')} ms; getAll ${Math.round(r.readMs)} ms (${r.values} values), getAllKeys ${Math.round(r.keysMs)} ms]`);
}
