// ruhu service worker: precaches one build, serves it offline, and never takes over a page
// by itself after an update (the page asks the surveyor, then posts SKIP_WAITING).
//
// `x.sh precache` (a Trunk post_build hook) rewrites the three marked lines with the build's
// version, its file list and the build profile. Only same-origin GET requests are handled.

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
