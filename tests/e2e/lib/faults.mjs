// The fault-injection suite's ledger (issue 13): every case counts the faults it injected and
// the typed values it checked afterwards, and asserts that none was lost. Each spec file of the
// suite (`specs/faults-*.spec.mjs`) makes one `FaultLedger`, calls `case()` per test and
// `report()` in an `after` hook: it prints one line per case and a total, and appends the
// cases to `faults-summary.jsonl` in the test-results folder, which `printSummary()` (run by
// `x.sh e2e` after the suite) adds up over every file:
//
//   faults: 14 cases · 83 faults injected · 1260 values checked · 0 values lost
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SUMMARY_FILE = join(HERE, '..', 'test-results', 'faults-summary.jsonl');

export class FaultLedger {
  constructor(file) {
    this.file = file;
    this.cases = [];
  }

  /**
   * One case: `name`, then what it did. `lost` lists the values that were typed (or received)
   * and are not there after the fault; `overwritten` the newer states replaced by older ones;
   * `told` whether the person was told (a message was seen). Asserts the case is clean.
   */
  case(name, { faults, checked, lost = [], overwritten = [], told = true }) {
    const row = { file: this.file, name, faults, checked, lost: lost.length, overwritten: overwritten.length, told };
    this.cases.push(row);
    assert.ok(faults > 0, `${name}: no fault was injected`);
    assert.ok(checked > 0, `${name}: no value was checked`);
    assert.deepEqual(lost, [], `${name}: values lost`);
    assert.deepEqual(overwritten, [], `${name}: newer states overwritten`);
    assert.ok(told, `${name}: the person was not told`);
  }

  /** Prints this file's cases and appends them to the summary file. */
  report() {
    for (const c of this.cases) {
      console.log(`fault case ${c.file} · ${c.name}: ${c.faults} faults, ${c.checked} values checked, ${c.lost} lost`);
    }
    mkdirSync(dirname(SUMMARY_FILE), { recursive: true });
    for (const c of this.cases) appendFileSync(SUMMARY_FILE, JSON.stringify(c) + '\n');
  }
}

/** The suite's total over every file's cases (the line recorded in tests/bench/README.md). */
export function summaryLine(rows) {
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  return `faults: ${rows.length} cases · ${sum('faults')} faults injected · ${sum('checked')} values checked · ${sum('lost')} values lost · ${sum('overwritten')} newer states overwritten`;
}

/** Reads the summary file and prints the total; exit code 1 if anything was lost. */
export function printSummary() {
  if (!existsSync(SUMMARY_FILE)) {
    console.log('faults: no fault case ran');
    return 0;
  }
  const rows = readFileSync(SUMMARY_FILE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  console.log(summaryLine(rows));
  return rows.some((r) => r.lost > 0 || r.overwritten > 0 || !r.told) ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(printSummary());
