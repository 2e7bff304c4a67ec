// ruhu service worker, one for the three pages (index.html, app.html, office.html): precaches
// one build, serves it offline, and never takes over a page by itself after an update.
//
// - `x.sh precache`, Trunk's post_build hook of the main build, lists every file of the merged
//   build but this one, hashes them into a 16-hex version and rewrites the three marked lines
//   below (VERSION, PRECACHE, DEV: a debug build). Any change to any file changes this file
//   byte-wise, which is how the browser notices a new version.
// - install: every listed file into the cache `ruhu-<version>`, fetched with
//   `cache: 'reload'` (past the HTTP cache, so the cache holds exactly this build). No
//   skipWaiting(): a new version waits.
// - activate: the other `ruhu-*` caches deleted, clients.claim() (the very first visit is
//   already offline-capable).
// - fetch: only same-origin GETs (nothing else is touched; the dev server's live reload under
//   /.well-known/trunk/ neither). A navigation to a page of the app (a path ending in `/`,
//   `index.html` or without an extension) is answered with the cached index.html; app.html and
//   office.html by their own address; a query string is ignored when matching. Release
//   builds are cache first, then the network (a page always runs the version its worker holds);
//   debug builds (`trunk serve`) are network first with the cache as the offline fallback.
//   Routes are hash routes, so every route is one of the three files.
// - update: sw-register.js (on every page) sees a worker reach `installed` while another
//   controls the page and shows 新版本可用 with 更新; nothing reloads by itself mid-form. The
//   button sends `ruhu-flush` (the editor saves at once and answers with a promise of that
//   save), and only when the save has committed posts SKIP_WAITING to the waiting worker; the
//   page reloads on `controllerchange`. The other open pages see `controllerchange` too and
//   reload when no form is being edited in them (sw-register.js). It also checks for an update
//   hourly, and works even when the running version's wasm fails to start. In the editor the
//   prompt sits above the risk bar; the 撤销 snackbar stacks above the prompt (the prompt's
//   height is `--update-prompt-h`, for style/form.css), and with the findings open both move
//   to the top of the screen, so nothing covers the verdict or a finding.
// Tested end to end in tests/e2e/specs/pwa.test.mjs (offline reload, the update prompt) and
// audit-360.spec.mjs (the prompt, snackbar and findings measured on a 360 px phone).

const VERSION = 'unbuilt'; // @version
const PRECACHE = []; // @precache
const DEV = true; // @dev

const CACHE = 'ruhu-' + VERSION;
const SHELL = new URL('index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // No skipWaiting(): a new version waits until the page says so.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((path) => new Request(new URL(path, self.registration.scope), { cache: 'reload' })))
    )
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ruhu-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

/** A navigation to a page of the app (not to a file such as an icon). */
function isAppPage(url) {
  if (!url.href.startsWith(self.registration.scope)) return false;
  const last = url.pathname.split('/').pop();
  return last === '' || last === 'index.html' || !last.includes('.');
}

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request, { ignoreSearch: true });
}

async function respond(request, url) {
  const key = request.mode === 'navigate' && isAppPage(url) ? SHELL : request;
  if (DEV) {
    // Development build: fresh files while online, the cache when offline.
    try {
      return await fetch(request);
    } catch (e) {
      const cached = await fromCache(key);
      if (cached) return cached;
      throw e;
    }
  }
  const cached = await fromCache(key);
  return cached || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // never touch other origins
  if (url.pathname.startsWith('/.well-known/trunk/')) return; // dev server's live reload
  event.respondWith(respond(request, url));
});
