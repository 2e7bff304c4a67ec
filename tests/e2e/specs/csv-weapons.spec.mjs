// Files as weapons (issue 14, part 8), through the page: the township office's four ledger
// CSVs, downloaded with hostile values in the records' text fields (village, 村民小组, every
// member's name, 排查人, 研判人) and in some ID numbers, hold no live spreadsheet formula: no
// cell starts with =, +, -, @, a tab, CR or LF (or their full-width forms) except `="…"` around
// 1–20 ASCII letters and digits (an ID kept as text). The hostile values are there, guarded
// with a leading ' (core::township::csv::cell), so nothing is lost. The core's own test of
// every CSV writer is tests/csv_injection.rs; this one checks that the pages' downloads are
// those writers' output. (The roster page's 机账实核对台账 CSV is `township::to_csv` too; its
// hostile rows are in tests/csv_injection.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL, launch, parseCsv, seededPage, settingsFor } from '../lib/township.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(fs.readFileSync(path.join(HERE, '..', 'fixtures', 'township-200.json'), 'utf8'));
const HOSTILE = ['=1+1', '@SUM(A1)', '+cmd|\' /C calc\'!A0', '-2+3', '=HYPERLINK("http://x","点这里")', '＝1+1', '\t=1+1'];
const BAD_ID = '1"&HYPERLINK("http://x")&"';

function live(cell) {
  const idText = /^="[A-Za-z0-9]{1,20}"$/.test(cell);
  return /^[=+\-@\t\r\n＝＋－＠]/.test(cell) && !idText;
}

/** The fixture with hostile text in every record (and a hostile ID number in every fifth). */
function poisoned() {
  return FIXTURE.records.map((r, i) => {
    const h = structuredClone(r);
    const bad = HOSTILE[i % HOSTILE.length];
    h.address.village = bad;
    h.address.group = bad;
    h.visit.surveyor = bad;
    h.visit.assessors = [bad];
    h.members.forEach((m, j) => { m.name = `${HOSTILE[(i + j) % HOSTILE.length]}`; });
    if (i % 5 === 0) h.members[0].id_number = BAD_ID;
    return h;
  });
}

test('the ledgers the office page downloads hold no formula from record data', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const { context, page, errors } = await seededPage(browser, poisoned(), settingsFor(FIXTURE.policy));
    let reached = 0;
    for (const code of ['special-archive', 'verification', 'unresolved', 'monitoring']) {
      await page.goto(`${BASE_URL}office.html#/township/ledgers/${code}`);
      await page.locator(`table.ledger[data-ledger="${code}"]`).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=csv]').click()]);
      const rows = parseCsv(fs.readFileSync(await download.path()).subarray(3).toString('utf8'));
      assert.ok(rows.length > 1, `${code}: rows`);
      const cells = rows.flat();
      assert.deepEqual(cells.filter(live), [], `${code}: live formulas`);
      // The hostile values reach the file, guarded: the head's name column (户主, column 4).
      const heads = rows.slice(1).map((r) => r[3]);
      assert.ok(heads.every((c) => c.startsWith("'") && HOSTILE.includes(c.slice(1))), `${code}: ${heads.slice(0, 3)}`);
      // A hostile ID (as the reader keeps it: upper case, cut to length) is plain text, never
      // inside ="…".
      const ids = rows.slice(1).map((r) => r[4]);
      const hostileIds = ids.filter((c) => c.includes('"&HYPERLINK('));
      assert.ok(ids.every((c) => /^="[0-9X]{18}"$/.test(c) || (hostileIds.includes(c) && !c.startsWith('='))), `${code}: ${ids.filter((c) => !c.startsWith('="'))}`);
      reached += hostileIds.length;
    }
    assert.ok(reached > 0, 'a hostile ID number reached a ledger');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await browser.close();
  }
});
