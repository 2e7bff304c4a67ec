import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const persistent of [false]) {
  const context = await chromium.launchPersistentContext('/tmp/quota-prof-'+Date.now(), { executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await context.newPage();
  await page.goto(process.argv[2]);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(process.argv[2]).origin;
  const write = (n) => page.evaluate((n) => new Promise((res) => {
    const o = indexedDB.open('probe', 1);
    o.onupgradeneeded = () => o.result.createObjectStore('s');
    o.onsuccess = () => {
      const tx = o.result.transaction('s', 'readwrite');
      tx.objectStore('s').put(new Uint8Array(n).fill(7), 'k' + Math.random());
      tx.oncomplete = () => res('ok');
      tx.onabort = () => res('abort ' + (tx.error && tx.error.name));
      tx.onerror = () => {};
    };
  }), n);
  console.log('before', await write(1000), await page.evaluate(() => navigator.storage.estimate()));
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  console.log('est', await page.evaluate(() => navigator.storage.estimate()));
  console.log('after', await write(100000));
  console.log('after2', await write(1000000));
}
await browser.close();
