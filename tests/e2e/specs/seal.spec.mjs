// Sealed files, the township configuration and sharing on Android (issue 14, parts 3–5):
// - a surveyor sets 乡镇公钥 in 设置 (a bad key said, the good one kept), every export is then
//   an armoured age `.txt` with no person's name in its name, and Debian's `age -d -i` opens
//   it to the records (the key pair made here by `age-keygen`);
// - 分享 asks `navigator.canShare` with the very `.txt` file (JSON when no key is set, the
//   armour when one is), through a Web Share stub that accepts only text files, as Android
//   Chromium does;
// - the office makes its key pair (backup downloaded once; `age -d -i` opens a file with it,
//   asking the passphrase), makes the 乡镇配置 (villages, key, lock required); a surveyor
//   imports it in 设置 (what changes listed; 取消 keeps all, 确定 applies) and exports; the
//   office imports that file and one made by `age -r`, asked the passphrase once (a wrong one
//   said), then refuses a changed and a cut file by name; after a reload it asks again.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  launch, phone, importFiles, goHome, fixture, BASE_URL,
} from '../fixtures/records/harness.mjs';

const ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';
const RECORD = fixture('general-no-risk.json');
const HEAD = RECORD.members[0].name; // 张伟
const HEAD_ID = RECORD.members[0].id_number;
const PASS = '额尔和乡 办公室 2026';

let browser;
const dir = mkdtempSync(join(tmpdir(), 'ruhu-seal-'));
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A key pair from Debian's age-keygen: the identity file's path and the recipient. */
function keygen(name) {
  const path = join(dir, name);
  execFileSync('age-keygen', ['-o', path], { stdio: ['ignore', 'ignore', 'ignore'] });
  const recipient = /^# public key: (age1[0-9a-z]+)$/m.exec(readFileSync(path, 'utf8'))[1];
  return { path, recipient };
}

/** `age -d -i identity file` of a plain identity file: the plain text. */
function ageOpen(identity, text) {
  const path = join(dir, `sealed-${Math.random().toString(16).slice(2)}.txt`);
  writeFileSync(path, text);
  return execFileSync('age', ['-d', '-i', identity, path], { encoding: 'utf8' });
}

/** `age -d -i locked-identity file`, the passphrase typed on a pseudo-terminal (`script`). */
function ageOpenLocked(identity, sealedPath, passphrase) {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `age -d -i '${identity}' '${sealedPath}'`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', () => resolve(out));
    setTimeout(() => child.stdin.end(`${passphrase}\n`), 1000);
  });
}

/** Clicks `button`; the download's suggested name and text. */
async function downloadVia(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

async function openSettings(page) {
  await page.goto(new URL('app.html#/settings', BASE_URL).href);
  await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
}

/** Exports every record from the home list: the file and the result card. */
async function exportAllFile(page) {
  await goHome(page);
  const file = await downloadVia(page, page.getByRole('button', { name: '导出全部' }));
  const card = page.locator('.export-result');
  await card.waitFor();
  return { ...file, card };
}

test('乡镇公钥: a bad key is said and the good one kept; exports are sealed .txt that age opens', { timeout: 180_000 }, async () => {
  const { path: identity, recipient } = keygen('surveyor-test-key.txt');
  const a = await phone(browser);
  assert.equal(await importFiles(a.page, [{ name: 'a.json', text: JSON.stringify(RECORD) }]), '新增 1 · 更新 0 · 冲突 0 · 无效 0');

  // Unsealed first: the card says so.
  const plain = await exportAllFile(a.page);
  assert.equal(await plain.card.getAttribute('data-sealed'), 'no');
  assert.match(plain.name, /^额尔和乡-额尔和村-\d{4}-\d\d-\d\d-1户\.json$/, 'one record: a count, not the head');
  assert.ok(!plain.name.includes(HEAD));

  await openSettings(a.page);
  const field = a.page.getByLabel('乡镇公钥', { exact: true });
  const state = a.page.getByTestId('township-key-state');
  assert.match(await state.textContent(), /未设置乡镇公钥/);
  // A bad key (losing focus keeps it): said in Chinese, nothing kept.
  await field.fill('age1qqqq');
  await field.blur();
  await a.page.getByRole('alert').filter({ hasText: '无效的乡镇公钥' }).waitFor();
  assert.match(await state.textContent(), /未设置/);
  // A private key is refused with its own reason.
  await field.fill(readFileSync(identity, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')));
  await a.page.getByRole('button', { name: '保存', exact: true }).click();
  await a.page.getByRole('alert').filter({ hasText: '这是私钥' }).waitFor();
  // The good key, with 保存.
  await field.fill(`  ${recipient}  `);
  await a.page.getByRole('button', { name: '保存', exact: true }).click();
  await a.page.getByText('乡镇公钥已保存').waitFor();
  assert.match(await state.textContent(), /^已设置（age1.{6}….{6}）/);
  // A mistyped key later: said, and the good one stays in use (also after a reload).
  const typo = recipient.slice(0, 20) + (recipient[20] === 'q' ? 'p' : 'q') + recipient.slice(21);
  await field.fill(typo);
  await field.blur();
  await a.page.getByRole('alert').filter({ hasText: '原来的公钥仍在使用' }).waitFor();
  await a.page.reload();
  await a.page.getByTestId('township-key-state').filter({ hasText: '已设置' }).waitFor();
  assert.equal(await a.page.getByLabel('乡镇公钥', { exact: true }).inputValue(), recipient);
  const settings = await a.page.evaluate(() => JSON.parse(localStorage.getItem('ruhu.settings')));
  assert.equal(settings.township_key, recipient);

  // Every export is now sealed: .txt, armour, no name in the name or the text.
  const sealed = await exportAllFile(a.page);
  assert.equal(await sealed.card.getAttribute('data-sealed'), 'yes');
  assert.match(await sealed.card.textContent(), /已加密（只有乡镇能打开）/);
  assert.match(sealed.name, /^额尔和乡-额尔和村-\d{4}-\d\d-\d\d-1户\.txt$/);
  assert.ok(sealed.text.startsWith(`${ARMOR}\n`) && sealed.text.trimEnd().endsWith('-----END AGE ENCRYPTED FILE-----'));
  for (const secret of [HEAD, HEAD_ID, RECORD.members[1].name, RECORD.id]) {
    assert.ok(!sealed.name.includes(secret) && !sealed.text.includes(secret), `${secret} is not readable`);
  }
  const opened = JSON.parse(ageOpen(identity, sealed.text));
  assert.equal(opened.format, 'ruhu.export/1');
  assert.deepEqual(opened.records.map((r) => r.id), [RECORD.id]);
  assert.equal(opened.records[0].members[0].name, HEAD);
  assert.equal(opened.records[0].members[0].id_number, HEAD_ID);

  // 导出本村 and the household's 导出本户 too.
  await goHome(a.page);
  const village = await downloadVia(a.page, a.page.locator('section.village[data-village="额尔和村"]').getByRole('button', { name: '导出本村' }));
  assert.match(village.name, /^额尔和乡-额尔和村-.*\.txt$/);
  assert.equal(JSON.parse(ageOpen(identity, village.text)).records.length, 1);
  await goHome(a.page);
  await a.page.locator('li.entry a.visits-link').first().click();
  const own = await downloadVia(a.page, a.page.getByRole('button', { name: '导出本户' }));
  assert.ok(own.text.startsWith(ARMOR) && !own.name.includes(HEAD), own.name);
  assert.equal(JSON.parse(ageOpen(identity, own.text)).records[0].id, RECORD.id);
  await a.context.close();
});

/** A Web Share stub as Android Chromium: canShare records each call's files and accepts only
 * text files (`.txt`, text/plain); share keeps what it was given. */
function androidShare() {
  window.__canShare = [];
  window.__shared = null;
  const describe = async (f) => ({ name: f.name, type: f.type, text: await f.text() });
  navigator.canShare = (data) => {
    const files = Array.isArray(data?.files) ? data.files : [];
    window.__canShare.push(Promise.all(files.map(describe)));
    return files.length > 0 && files.every((f) => f instanceof File && f.name.endsWith('.txt') && f.type === 'text/plain');
  };
  navigator.share = async (data) => {
    window.__shared = await describe(data.files[0]);
  };
}

test('分享: canShare is asked with the real .txt file, plain or sealed', { timeout: 120_000 }, async () => {
  const { path: identity, recipient } = keygen('share-key.txt');
  const p = await phone(browser);
  await p.context.addInitScript(androidShare);
  await p.page.reload();
  await importFiles(p.page, [{ name: 'a.json', text: JSON.stringify(RECORD) }]);

  // No key: the JSON is downloaded as .json and shared as .txt (Chromium shares no .json).
  const plain = await exportAllFile(p.page);
  await plain.card.getByRole('button', { name: '分享' }).waitFor();
  const asked = await p.page.evaluate(() => Promise.all(window.__canShare));
  assert.ok(asked.length >= 1, 'canShare was asked before 分享 was offered');
  const last = asked.at(-1);
  assert.equal(last.length, 1);
  assert.equal(last[0].name, plain.name.replace(/\.json$/, '.txt'));
  assert.equal(last[0].type, 'text/plain');
  assert.equal(last[0].text, plain.text, 'the very file, not a probe');
  await plain.card.getByRole('button', { name: '分享' }).click();
  await plain.card.getByText('已分享', { exact: true }).waitFor();
  const shared = await p.page.evaluate(() => window.__shared);
  assert.deepEqual(shared, last[0]);
  assert.equal(JSON.parse(shared.text).records[0].id, RECORD.id);

  // With a key: the armour, shared as the same .txt that was downloaded.
  await p.page.evaluate((key) => {
    const s = JSON.parse(localStorage.getItem('ruhu.settings') || '{}');
    localStorage.setItem('ruhu.settings', JSON.stringify({ ...s, township_key: key }));
  }, recipient);
  await p.page.reload();
  const sealed = await exportAllFile(p.page);
  assert.match(sealed.name, /\.txt$/);
  await sealed.card.getByRole('button', { name: '分享' }).click();
  await sealed.card.getByText('已分享', { exact: true }).waitFor();
  const sealedAsked = (await p.page.evaluate(() => Promise.all(window.__canShare))).at(-1);
  assert.deepEqual(sealedAsked, [{ name: sealed.name, type: 'text/plain', text: sealed.text }]);
  const sealedShared = await p.page.evaluate(() => window.__shared);
  assert.equal(sealedShared.text, sealed.text);
  assert.equal(JSON.parse(ageOpen(identity, sealedShared.text)).records[0].id, RECORD.id);
  await p.context.close();
});

/** A fresh office device (desktop-sized, its own storage) at the office's 密钥与配置. */
async function officeDevice() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(new URL('office.html#/township/keys', BASE_URL).href);
  await page.getByRole('heading', { level: 2, name: '乡镇密钥（加密文件）' }).waitFor();
  return { context, page };
}

/** Picks files in 导入记录 and waits for the passphrase prompt (not a report). */
async function pickSealed(page, files) {
  const paths = files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.text);
    return path;
  });
  await page.getByLabel('导入记录').setInputFiles(paths);
  const prompt = page.getByTestId('key-prompt');
  await prompt.waitFor({ timeout: 60_000 });
  return prompt;
}

/** The latest import report's summary and refused lines. */
async function report(page, seq) {
  const r = page.locator(`.import-report[data-seq="${seq}"]`);
  await r.waitFor({ timeout: 120_000 });
  return {
    summary: (await r.getByTestId('import-summary').textContent()).trim(),
    refused: await r.locator('li.refused-file').allTextContents(),
  };
}

test('office: key pair, backup once, 乡镇配置 applied on a phone, sealed files imported, changed and cut ones refused', { timeout: 420_000 }, async () => {
  const o = await officeDevice();
  const keys = o.page.locator('section.township-keys');
  await keys.getByText('本机还没有乡镇密钥').waitFor();
  // A short passphrase, then two that differ: said, nothing made.
  await o.page.getByLabel('私钥口令', { exact: true }).fill('short');
  await o.page.getByLabel('确认私钥口令', { exact: true }).fill('short');
  await o.page.getByRole('button', { name: '生成乡镇密钥' }).click();
  await keys.getByRole('alert').filter({ hasText: '口令至少 8 个字符' }).waitFor();
  await o.page.getByLabel('私钥口令', { exact: true }).fill(PASS);
  await o.page.getByLabel('确认私钥口令', { exact: true }).fill(`${PASS}x`);
  await o.page.getByRole('button', { name: '生成乡镇密钥' }).click();
  await keys.getByRole('alert').filter({ hasText: '两次输入的口令不一致' }).waitFor();
  await o.page.getByLabel('确认私钥口令', { exact: true }).fill(PASS);
  const t0 = Date.now();
  await o.page.getByRole('button', { name: '生成乡镇密钥' }).click();
  const code = o.page.getByTestId('recipient');
  await code.waitFor({ timeout: 120_000 });
  console.log(`office key pair made and locked (scrypt 2^18) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const recipient = (await code.textContent()).trim();
  assert.match(recipient, /^age1[02-9ac-hj-np-z]{58}$/);
  // Kept locked in IndexedDB: no secret key in plain anywhere in the store's values.
  const kept = await o.page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('ruhu');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction('meta').objectStore('meta').getAll();
      req.onsuccess = () => { resolve(JSON.stringify(req.result)); open.result.close(); };
      req.onerror = () => reject(req.error);
    };
  }));
  assert.ok(kept.includes(recipient) && kept.includes('BEGIN AGE ENCRYPTED FILE'), 'the locked identity is kept');
  assert.ok(!kept.includes('AGE-SECRET-KEY'), 'never the identity in plain');

  // The backup: once.
  assert.match(await o.page.getByTestId('backup-state').textContent(), /还没有下载/);
  const backup = await downloadVia(o.page, o.page.getByRole('button', { name: '下载私钥备份' }));
  assert.match(backup.name, /^乡镇私钥备份-额尔和乡-\d{4}-\d\d-\d\d\.txt$/);
  assert.ok(backup.text.startsWith(ARMOR) && !backup.text.includes('AGE-SECRET-KEY'));
  await o.page.getByTestId('backup-state').filter({ hasText: /私钥备份已于 .* 下载/ }).waitFor();
  assert.equal(await o.page.getByRole('button', { name: '下载私钥备份' }).count(), 0);
  await o.page.reload();
  await o.page.getByTestId('backup-state').filter({ hasText: '已于' }).waitFor();
  assert.equal(await o.page.getByRole('button', { name: '下载私钥备份' }).count(), 0, 'not offered again after a reload');
  const backupPath = join(dir, backup.name);
  writeFileSync(backupPath, backup.text);

  // 乡镇配置: villages, the key, the lock required.
  await o.page.getByLabel('配置的村（每行一个）').fill('额尔和村\n哈力村\n额尔和村');
  await o.page.getByLabel('要求排查人开启应用锁').check();
  const config = await downloadVia(o.page, o.page.getByRole('button', { name: '生成乡镇配置' }));
  assert.match(config.name, /^乡镇配置-额尔和乡-\d{4}-\d\d-\d\d\.json$/);
  const cfg = JSON.parse(config.text);
  assert.equal(cfg.format, 'ruhu.config/1');
  assert.equal(cfg.township, '额尔和乡');
  assert.deepEqual(cfg.villages, ['额尔和村', '哈力村']);
  assert.equal(cfg.recipient, recipient);
  assert.equal(cfg.lock_required, true);
  assert.equal(cfg.policies.length, 1);
  assert.ok(!config.text.includes('BEGIN AGE'), 'a configuration is not sealed');

  // --- A surveyor's phone imports it: the changes first; 取消 keeps all; 确定 applies. ----
  const s = await phone(browser);
  await openSettings(s.page);
  const configPath = join(dir, config.name);
  writeFileSync(configPath, config.text);
  await s.page.getByLabel('导入乡镇配置').setInputFiles(configPath);
  const preview = s.page.getByTestId('config-preview');
  await preview.waitFor();
  const changes = await preview.locator('ul.config-changes li').allTextContents();
  assert.ok(changes.includes('增加村：额尔和村、哈力村'), changes.join(' | '));
  assert.ok(changes.some((c) => c.startsWith('乡镇公钥：设为 age1') && c.includes('此后导出的文件都加密')), changes.join(' | '));
  assert.ok(changes.includes('应用锁：必须开启'), changes.join(' | '));
  await preview.getByRole('button', { name: '取消' }).click();
  await s.page.getByText('已取消，本机设置没有改变').waitFor();
  assert.match(await s.page.getByTestId('township-key-state').textContent(), /未设置/);
  assert.equal(await s.page.getByTestId('lock-required').count(), 0);
  assert.equal(await s.page.locator('textarea[name="villages"]').inputValue(), '');
  await s.page.getByLabel('导入乡镇配置').setInputFiles(configPath);
  await preview.waitFor();
  await preview.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已应用乡镇配置（额尔和乡）').waitFor();
  await s.page.reload();
  await s.page.getByTestId('township-key-state').filter({ hasText: '已设置' }).waitFor();
  assert.equal(await s.page.getByLabel('乡镇公钥', { exact: true }).inputValue(), recipient);
  assert.equal(await s.page.locator('textarea[name="villages"]').inputValue(), '额尔和村\n哈力村');
  await s.page.getByTestId('lock-required').waitFor();
  // The same file again: nothing to change.
  await s.page.getByLabel('导入乡镇配置').setInputFiles(configPath);
  await preview.getByText('与本机设置相同').waitFor();
  assert.equal(await preview.getByRole('button', { name: '确定' }).count(), 0);
  // A sealed or broken configuration is refused by name, the settings unchanged.
  await s.page.getByLabel('导入乡镇配置').setInputFiles({ name: '坏配置.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"ruhu.config/1","township":""}') });
  await s.page.getByRole('alert').filter({ hasText: '坏配置.json：没有导入' }).waitFor();

  // The home list says it too, while the lock is off.
  await goHome(s.page);
  await s.page.getByTestId('lock-required').filter({ hasText: '乡镇要求开启应用锁' }).waitFor();
  // The surveyor's export is sealed to the office's key.
  await importFiles(s.page, [{ name: 'a.json', text: JSON.stringify(RECORD) }]);
  const fromApp = await exportAllFile(s.page);
  assert.ok(fromApp.text.startsWith(ARMOR) && fromApp.name.endsWith('.txt'));
  // The backup opens it with the standard tool (the passphrase typed).
  const appPath = join(dir, 'from-app.txt');
  writeFileSync(appPath, fromApp.text);
  const shown = await ageOpenLocked(backupPath, appPath, PASS);
  assert.ok(shown.includes(RECORD.id) && shown.includes(HEAD), 'age -d -i backup opens the export');
  // One sealed by the standard tool: another record.
  const other = structuredClone(fixture('serious-illness.json'));
  const otherPlain = join(dir, 'other.json');
  writeFileSync(otherPlain, JSON.stringify(other));
  const fromAge = execFileSync('age', ['-r', recipient, '-a', otherPlain], { encoding: 'utf8' });

  // --- The office imports them on its records page: asked the passphrase once. ---------
  await o.page.goto(new URL('app.html#/', BASE_URL).href);
  await o.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  let prompt = await pickSealed(o.page, [{ name: '排查人导出.txt', text: fromApp.text }, { name: 'age加密.txt', text: fromAge }]);
  assert.match(await prompt.textContent(), /2 个文件已加密/);
  await prompt.getByLabel('私钥口令').fill('不是这个口令');
  await prompt.getByRole('button', { name: '解锁并导入' }).click();
  await prompt.getByRole('alert').filter({ hasText: '口令不对' }).waitFor({ timeout: 120_000 });
  await prompt.getByLabel('私钥口令').fill(PASS);
  const t1 = Date.now();
  await prompt.getByRole('button', { name: '解锁并导入' }).click();
  let r = await report(o.page, 1);
  console.log(`office unlock (scrypt 2^18) and import of 2 sealed files: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  assert.equal(r.summary, '新增 2 · 更新 0 · 冲突 0 · 无效 0');
  // (Still this page: another page, even the start page, is a new session that asks again.)
  await o.page.locator('li.entry').nth(1).waitFor();
  assert.equal(await o.page.locator('li.entry').count(), 2);

  // A changed file and a cut one: refused by name with the reason; no prompt this time.
  const lines = fromApp.text.split('\n');
  const mid = Math.floor(lines.length / 2);
  const c = lines[mid][10];
  lines[mid] = lines[mid].slice(0, 10) + (c === 'A' ? 'B' : 'A') + lines[mid].slice(11);
  const changed = lines.join('\n');
  const cut = fromApp.text.slice(0, Math.floor(fromApp.text.length / 2));
  const good = JSON.stringify(fixture('monitored-marginal.json'));
  const summary = await importFiles(o.page, [
    { name: '被改动.txt', text: changed },
    { name: '被截断.txt', text: cut },
    { name: '明文.txt', text: good },
  ]);
  assert.equal(summary, '新增 1 · 更新 0 · 冲突 0 · 无效 2', 'plain JSON in a .txt is read; the two sealed ones refused');
  const refused = await o.page.locator('.import-report li.refused-file').allTextContents();
  assert.ok(refused.some((l) => /^被改动\.txt：加密文件已被改动或损坏/.test(l)), refused.join(' | '));
  assert.ok(refused.some((l) => /^被截断\.txt：加密文件不完整/.test(l)), refused.join(' | '));

  // A new page session: the identity is gone from memory, the passphrase is asked again;
  // skipping refuses the sealed file by name.
  await o.page.reload();
  await o.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  prompt = await pickSealed(o.page, [{ name: '再来一次.txt', text: fromAge }]);
  await prompt.getByRole('button', { name: '跳过加密文件' }).click();
  r = await report(o.page, 1);
  assert.equal(r.summary, '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  assert.match(r.refused[0], /^再来一次\.txt：此文件已加密，需要乡镇私钥才能打开/);

  // A phone without the township's key refuses a sealed file by name, asking nothing.
  assert.equal(await importFiles(s.page, [{ name: '别人的.txt', text: fromAge }]), '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  assert.match((await s.page.locator('.import-report li.refused-file').allTextContents())[0], /^别人的\.txt：此文件已加密，但不是加密给本机的（本机没有乡镇私钥/);
  // …and a configuration picked in 导入记录 says where it goes.
  assert.equal(await importFiles(s.page, [{ name: config.name, text: config.text }]), '新增 0 · 更新 0 · 冲突 0 · 无效 1');
  assert.match((await s.page.locator('.import-report li.refused-file').allTextContents())[0], /这是乡镇配置文件/);
  await s.context.close();
  await o.context.close();

  // --- A new office computer: the key restored from its backup opens the sealed files. ---
  const n = await officeDevice();
  const restore = n.page.getByTestId('key-restore');
  await restore.getByLabel('私钥备份文件').setInputFiles({ name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('AGE-SECRET-KEY-1XYZ') });
  await restore.getByLabel('备份的私钥口令').fill(PASS);
  await restore.getByRole('button', { name: '恢复乡镇密钥' }).click();
  await restore.getByRole('alert').filter({ hasText: 'x.txt：这不是乡镇私钥备份' }).waitFor();
  await restore.getByLabel('私钥备份文件').setInputFiles(backupPath);
  await restore.getByLabel('备份的私钥口令').fill('不是这个口令');
  await restore.getByRole('button', { name: '恢复乡镇密钥' }).click();
  await restore.getByRole('alert').filter({ hasText: '口令不对' }).waitFor({ timeout: 120_000 });
  assert.equal(await n.page.getByTestId('recipient').count(), 0, 'nothing kept after a wrong passphrase');
  await restore.getByLabel('备份的私钥口令').fill(PASS);
  await restore.getByRole('button', { name: '恢复乡镇密钥' }).click();
  await n.page.getByTestId('keys-note').filter({ hasText: '乡镇密钥已从备份恢复' }).waitFor({ timeout: 120_000 });
  assert.equal((await n.page.getByTestId('recipient').textContent()).trim(), recipient, 'the same public key');
  assert.equal(await n.page.getByRole('button', { name: '下载私钥备份' }).count(), 0, 'the backup is not offered again');
  await n.page.reload();
  assert.equal((await n.page.getByTestId('recipient').textContent()).trim(), recipient, 'kept after a reload');
  await n.page.goto(new URL('app.html#/', BASE_URL).href);
  await n.page.getByRole('heading', { name: '入户排查', exact: true }).waitFor();
  prompt = await pickSealed(n.page, [{ name: '恢复后.txt', text: fromApp.text }]);
  await prompt.getByLabel('私钥口令').fill(PASS);
  await prompt.getByRole('button', { name: '解锁并导入' }).click();
  r = await report(n.page, 1);
  assert.equal(r.summary, '新增 1 · 更新 0 · 冲突 0 · 无效 0');
  await n.context.close();
});
