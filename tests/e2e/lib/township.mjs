// Helpers of the township office's browser tests and benchmark: launching Chromium, putting
// records into the app's IndexedDB the way the store keeps them, and the expected figures and
// ledgers computed here, in plain JS, straight from the record JSON (never from the app).

import { chromium } from 'playwright-core';
import { watchCsp } from './csp.mjs';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080/';

/** Chromium; every context it makes records CSP violations (lib/csp.mjs). */
export async function launch() {
  return watchCsp(
    await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    })
  );
}

/** The app's settings with a confirmed policy of `year` (the township's own figures). */
export function settingsFor(policy) {
  return {
    surveyor: '',
    assessors: [],
    banner: '莫力达瓦达斡尔族自治旗',
    township: '额尔和乡',
    villages: [],
    policy: { ...policy, confirmed: true, source: '测试：乡村振兴办公室核对' },
  };
}

/**
 * What the device keeps of a batch: one record per `id`, the highest `revision` (an import
 * never lets an older revision of a record replace a newer one, `core::merge`), without the
 * `computed` blocks (recomputed on import).
 */
export function storedRecords(records) {
  const byId = new Map();
  for (const { computed, ...r } of records) {
    const had = byId.get(r.id);
    if (!had || r.revision > had.revision) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/**
 * A page of the app whose IndexedDB holds `storedRecords(records)` (as `src/store/idb.rs`
 * keeps them: `{ id, household_id, revision, updated_at, json }` in `records`, key path `id`,
 * `json` the record's JSON as UTF-8 bytes).
 * `settings` go to localStorage before the app starts.
 */
export async function seededPage(browser, records, settings, contextOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    serviceWorkers: 'block',
    ...contextOptions,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (settings) {
    await page.addInitScript((s) => localStorage.setItem('ruhu.settings', s), JSON.stringify(settings));
  }
  await page.goto(BASE_URL + '#/');
  await page.locator('h1').first().waitFor();
  await page.evaluate(seedIdb, storedRecords(records));
  return { context, page, errors };
}

/** Runs in the page: writes the records into the `ruhu` database (schema version 2) the way the
 * store's `put_all` does (without history entries, which the township pages do not read). */
async function seedIdb(records) {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('ruhu', 2);
    req.onupgradeneeded = (e) => {
      // The same schema as src/store/idb.rs, in case the app has not opened it yet.
      const d = req.result;
      if (e.oldVersion < 1) {
        d.createObjectStore('records', { keyPath: 'id' });
        const history = d.createObjectStore('history', { autoIncrement: true });
        history.createIndex('record_id', 'record_id', { unique: false });
        d.createObjectStore('meta');
      }
      if (e.oldVersion < 2) {
        d.createObjectStore('attachments', { keyPath: 'id' }).createIndex('record_id', 'record_id', { unique: false });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction(['records'], 'readwrite');
    const store = tx.objectStore('records');
    const utf8 = new TextEncoder();
    for (const r of records) {
      store.put({ id: r.id, household_id: r.household_id, revision: r.revision, updated_at: r.updated_at, json: utf8.encode(JSON.stringify(r)) });
    }
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  db.close();
}

// ---------------------------------------------------------------------------------------
// Expected figures, from the records alone.

const NO_VILLAGE = '（未填写村）';
const EXITED = ['exited_supported', 'exited_unsupported'];
const MONITORED = ['monitored_unstable', 'monitored_marginal', 'monitored_hardship'];
const CATEGORIES = ['general', ...EXITED, ...MONITORED];
export const RISK_CODES = ['income-below-line', 'rigid-expense', 'dropout', 'uninsured', 'unsafe-water', 'unsafe-housing', 'housing-unassessed'];
export const KEY_GROUPS = ['serious_illness', 'chronic', 'severe_disability', 'tekun', 'left_behind_child', 'disabled_elderly'];

/** Money text → cents; `null` (unanswered) → 0; anything not a valid amount → NaN. */
function cents(m) {
  if (m === null || m === undefined) return 0;
  const s = typeof m === 'number' ? String(m) : m;
  const x = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!x) return NaN;
  return Number(x[1]) * 100 + Number((x[2] ?? '').padEnd(2, '0'));
}

/** a / n rounded half away from zero (both in cents). */
function perHead(c, n) {
  const q = c / n;
  return Math.sign(q) * Math.round(Math.abs(q));
}

function visitKey(h) {
  return [h.visit?.date ?? '', h.revision, Date.parse(h.updated_at), h.id];
}

function cmp(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** Whole months from one `YYYY-MM-DD` to another (0 when earlier). */
export function wholeMonths(from, to) {
  if (to < from) return 0;
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  let m = (ty - fy) * 12 + tm - fm;
  if (td < fd) m -= 1;
  return Math.max(0, m);
}

function ageOn(idNumber, date) {
  const id = idNumber.replace(/\s/g, '');
  if (id.length < 18) return null;
  const b = id.slice(6, 14);
  const [by, bm, bd] = [Number(b.slice(0, 4)), Number(b.slice(4, 6)), Number(b.slice(6, 8))];
  const [y, m, d] = date.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return Math.max(0, age);
}

const key18 = (s) => s.replace(/\s/g, '').toUpperCase().slice(0, 18);
const PARENTS = {
  son: ['head', 'spouse'],
  daughter: ['head', 'spouse'],
  grandson: ['son', 'daughter', 'daughter_in_law', 'son_in_law'],
  granddaughter: ['son', 'daughter', 'daughter_in_law', 'son_in_law'],
  daughter_grandson: ['son', 'daughter', 'daughter_in_law', 'son_in_law'],
  daughter_granddaughter: ['son', 'daughter', 'daughter_in_law', 'son_in_law'],
};
const AWAY = ['in_province', 'out_of_province', 'abroad'];

/** The 重点人群 of each member: [{ member, groups }] for members in at least one. */
export function keyGroups(h) {
  const out = [];
  for (const m of h.members) {
    const g = [];
    const age = h.visit.date ? ageOn(m.id_number, h.visit.date) : null;
    if (m.health.includes('serious_illness')) g.push('serious_illness');
    if (m.health.includes('chronic')) g.push('chronic');
    if (m.id_type === 'disability_cert' && m.id_number.length === 20 && Number(m.id_number[19]) <= 2) g.push('severe_disability');
    if (m.tekun === true) g.push('tekun');
    const parents = PARENTS[m.relation];
    if (age !== null && parents && age < 16) {
      // Nobody under 16 is a parent (an age that cannot be read still counts).
      const ps = h.members.filter((p) => {
        const a = ageOn(p.id_number, h.visit.date);
        return parents.includes(p.relation) && (a === null || a >= 16);
      });
      if (ps.every((p) => AWAY.includes(p.work_area))) g.push('left_behind_child');
    }
    if (age !== null && age >= 60 && m.labor === 'lost') g.push('disabled_elderly');
    if (g.length) out.push({ member: m, groups: g });
  }
  return out;
}

/** The figures the engine's income rules use (`rules.md`). */
export function incomeFigures(h) {
  const i = h.income ?? {};
  const n = h.members.length;
  const parts = ['production', 'wage', 'property', 'transfer'].map((k) => cents(i[k]));
  const total = parts.reduce((a, b) => a + b, 0);
  const net = total - cents(i.production_cost);
  const complete = ['production', 'wage', 'property', 'transfer', 'production_cost'].every((k) => i[k] !== null && i[k] !== undefined && !Number.isNaN(cents(i[k])));
  const pc = n > 0 && !Number.isNaN(net) ? perHead(net, n) : NaN;
  const other = cents(i.other_expense);
  const after = n > 0 && !Number.isNaN(net) && !Number.isNaN(other) ? perHead(net - other, n) : NaN;
  return { n, pc, after, complete };
}

/** The risk findings (codes) of a record, for a monitoring line in cents. */
export function riskCodes(h, lineCents) {
  const out = [];
  const f = incomeFigures(h);
  const judged = f.complete && f.n > 0 && !Number.isNaN(f.pc);
  if (judged && f.pc < lineCents) out.push('income-below-line');
  if (judged && f.pc >= lineCents && !Number.isNaN(f.after) && f.after < lineCents) out.push('rigid-expense');
  const g = h.guarantees ?? {};
  if (g.dropout === true) out.push('dropout');
  if (h.members.some((m) => m.medical_insurance === false) || g.all_insured === false) out.push('uninsured');
  if (g.safe_water === false) out.push('unsafe-water');
  if (g.dangerous_house === true && (g.house_grade === 'c' || g.house_grade === 'd')) out.push('unsafe-housing');
  if (g.dangerous_house === true && g.house_grade === 'unassessed') out.push('housing-unassessed');
  return out;
}

/** Each household's latest visit, and its previous visit. */
export function selectLatest(records) {
  const byHousehold = new Map();
  for (const r of records) {
    if (!byHousehold.has(r.household_id)) byHousehold.set(r.household_id, []);
    byHousehold.get(r.household_id).push(r);
  }
  const out = [];
  for (const visits of byHousehold.values()) {
    const latest = visits.reduce((a, b) => (cmp(visitKey(a), visitKey(b)) >= 0 ? a : b));
    const earlier = visits.filter((v) => v.id !== latest.id && v.visit?.date && latest.visit?.date && v.visit.date < latest.visit.date);
    const named = earlier.filter((v) => v.id === latest.previous_id);
    const pool = named.length ? named : earlier;
    const previous = pool.length ? pool.reduce((a, b) => (cmp(visitKey(a), visitKey(b)) >= 0 ? a : b)) : null;
    out.push({ record: latest, previous });
  }
  return out;
}

/**
 * Everything the township pages should show for `records` under `policy`
 * ({ monitoring_line, near_line_factor, elimination_min_months, unresolved_flag_months }).
 * Figures are `Map(key → Set(household_id))` plus people counts; per village and `*` (township).
 */
export function expected(records, policy) {
  const line = cents(policy.monitoring_line);
  const near = Math.round(line * Number(policy.near_line_factor ?? '1.2'));
  const minMonths = policy.elimination_min_months ?? 6;
  const flagMonths = policy.unresolved_flag_months ?? 12;
  const entries = selectLatest(records);

  const tallies = new Map(); // village → { key → { count, households:Set } }
  const add = (village, key, id, n = 1) => {
    for (const v of [village, '*']) {
      if (!tallies.has(v)) tallies.set(v, new Map());
      const t = tallies.get(v);
      if (!t.has(key)) t.set(key, { count: 0, households: new Set() });
      const f = t.get(key);
      f.count += n;
      f.households.add(id);
    }
  };
  const ledgers = { 'special-archive': [], verification: [], unresolved: [], monitoring: [], verificationAll: [] };
  const heads = new Map();

  for (const { record: h, previous: prev } of entries) {
    const id = h.household_id;
    const village = h.address?.village || NO_VILLAGE;
    const head = h.members.find((m) => m.relation === 'head') ?? h.members[0];
    heads.set(id, { village, head: head?.name ?? '', idNumber: head ? key18(head.id_number) : '', record: h.id });
    const monitored = MONITORED.includes(h.category);
    const exited = EXITED.includes(h.category);
    add(village, 'households', id);
    add(village, 'people', id, h.members.length);
    add(village, `category:${h.category ?? 'unknown'}`, id);
    if (exited) add(village, 'exited', id);
    if (monitored) {
      add(village, 'monitored', id);
      add(village, 'monitored_people', id, h.members.length);
    }
    const risks = riskCodes(h, line);
    for (const c of risks) add(village, `risk:${c}`, id);
    if (risks.length) add(village, 'at_risk', id);
    if (!monitored && (risks.includes('income-below-line') || risks.includes('rigid-expense'))) add(village, 'identify_suggested', id);
    if (!monitored && h.judgement?.identify === true) add(village, 'identify_decided', id);
    const f = incomeFigures(h);
    if (!Number.isNaN(f.pc) && f.pc < line) add(village, 'below_line', id);
    if (!Number.isNaN(f.pc) && f.pc >= line && f.pc < near) add(village, 'near_line', id);
    const kg = keyGroups(h);
    for (const { groups } of kg) for (const g of groups) add(village, `key_group:${g}`, id);
    if (kg.length) {
      add(village, 'key_group_people', id, kg.length);
      add(village, 'key_group_households', id);
    }
    const eliminated = h.elimination?.eliminated === true;
    if (monitored && eliminated) {
      add(village, 'eliminated', id);
      if (h.elimination.method === 'assisted') add(village, 'eliminated_assisted', id);
      if (h.elimination.method === 'natural') add(village, 'eliminated_natural', id);
      if (h.elimination.marked_in_system === false) add(village, 'eliminated_unmarked', id);
    }
    if (monitored && !eliminated) add(village, 'not_eliminated', id);

    // (a) 一般农户特殊档案
    if (!monitored && kg.length && h.judgement?.identify !== true) {
      ledgers['special-archive'].push(id);
      add(village, 'ledger:special-archive', id);
    }
    // (b) 信息核实核查台账
    const inScope = exited || monitored || h.judgement?.identify === true;
    if (inScope && verificationIssue(h, prev)) {
      ledgers.verification.push(id);
      add(village, 'ledger:verification', id);
    }
    if (verificationIssue(h, prev)) ledgers.verificationAll.push(id);
    // (c) ≥ 12 months not eliminated (兜底户除外); labour without development measures
    const months = h.monitoring?.identified_on && h.visit?.date ? wholeMonths(h.monitoring.identified_on, h.visit.date) : null;
    const bottom = h.members.some((m) => m.dibao === true || m.tekun === true);
    const overYear = monitored && months !== null && !eliminated && months >= flagMonths && !bottom;
    const ms = h.measures ?? {};
    const developing = ['industry', 'employment', 'finance', 'public_post'].some((k) => ms[k]?.applied === true);
    const workers = h.members.filter((m) => ['ordinary', 'skilled', 'weak'].includes(m.labor)).length;
    const noDev = monitored && months !== null && !eliminated && months >= minMonths && workers > 0 && !developing;
    if (overYear) add(village, 'unresolved_over_year', id);
    if (noDev) add(village, 'development_missing', id);
    if (overYear || noDev) ledgers.unresolved.push(id);
    // (d) every monitoring object
    if (monitored) {
      ledgers.monitoring.push(id);
      add(village, 'ledger:monitoring', id);
    }
  }
  const villages = [...tallies.keys()].filter((v) => v !== '*').sort((a, b) => (a === NO_VILLAGE) - (b === NO_VILLAGE) || (a < b ? -1 : a > b ? 1 : 0));
  // Ledger order: village, 村民小组, head, household id.
  const order = new Map(entries.map(({ record: h }) => {
    const head = h.members.find((m) => m.relation === 'head') ?? h.members[0];
    const village = h.address?.village || NO_VILLAGE;
    return [h.household_id, [village === NO_VILLAGE ? 1 : 0, village, h.address?.group ?? '', head?.name ?? '', h.household_id]];
  }));
  for (const list of Object.values(ledgers)) list.sort((a, b) => cmp(order.get(a), order.get(b)));
  return { entries, tallies, ledgers, heads, villages };
}

function verificationIssue(h, prev) {
  const g = h.guarantees ?? {};
  return (
    dibaoCancelled(h, prev) > 0 ||
    dibaoLowered(h, prev) ||
    h.members.some((m) => m.medical_insurance === false) ||
    g.all_insured === false ||
    g.dangerous_house === true ||
    g.safe_water === false ||
    (h.risk?.types ?? []).some((t) => t === 'disaster' || t === 'natural_disaster')
  );
}

function dibaoCancelled(h, prev) {
  if (!prev) return 0;
  return h.members.filter((m) => m.dibao === false && prev.members.some((p) => p.dibao === true && key18(p.id_number) === key18(m.id_number))).length;
}

function dibaoLowered(h, prev) {
  if (!prev) return false;
  const before = prev.members.filter((m) => m.dibao === true).map((m) => key18(m.id_number));
  const now = h.members.filter((m) => m.dibao === true).map((m) => key18(m.id_number));
  if (!before.length || !before.every((k) => now.includes(k))) return false;
  if (prev.income?.transfer == null || h.income?.transfer == null) return false;
  const was = cents(prev.income.transfer);
  const is = cents(h.income.transfer);
  if (Number.isNaN(was) || Number.isNaN(is)) return false;
  return was > 0 && (was - is) * 100 >= was * 20;
}

/** A figure's count (0 when absent). */
export function count(exp, village, key) {
  return exp.tallies.get(village)?.get(key)?.count ?? 0;
}

/** A figure's households (empty when absent). */
export function households(exp, village, key) {
  return exp.tallies.get(village)?.get(key)?.households ?? new Set();
}

// ---------------------------------------------------------------------------------------
// CSV (RFC 4180) for checking downloads.

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
