// The small script every page loads (index.html, app.html, office.html, roster.html): the
// note in WeChat's browser, the reload after 清除本机数据 in another tab, and the service
// worker's registration (offline use, and updates that wait until the person says so:
// 新版本可用 · 更新; see sw.js). Plain JS, so all three work before and without the wasm.
//
// WeChat (issue 14, part 6): inside WeChat's own browser (`MicroMessenger` in the user agent)
// downloads (exports, receipts) and offline use are unreliable, so every page starts with one
// line, `#wechat-note` (drawn by wechat.js, loaded only there), and a picture of where to tap (icons/wechat-open.svg: the ··· menu at
// the top right, then 在浏览器打开), asking to open the page in the phone's browser. Nothing
// else changes; other browsers never see it. Tested in tests/e2e/specs/wechat.spec.mjs.
//
// 清除本机数据 (src/ui/settings/wipe.rs) in another tab posts `{ wipe: true }` on the records'
// BroadcastChannel `ruhu-records`: this page forgets its sessionStorage and reloads (its own
// address without the route), into the emptied app. The wiping page marks itself with
// `data-wiping` on <html> and is left alone.
//
// 更新 reloads only after the pending save has committed: it sends `ruhu-flush` with
// `detail.waitUntil(promise)`, the editor (src/ui/editor/autosave.rs) gives a promise of its
// save, and the new worker is asked to take over only when every promise resolved; when one
// rejects (the save failed), the prompt says why and nothing reloads. The other tabs are told
// by `controllerchange` (the new worker claims every page): each reloads at once when no form
// is being edited in it (the document has no `data-editing`, src/ui/editor.rs), else when its
// editor closes, after telling the person.
if (/MicroMessenger/i.test(navigator.userAgent)) {
  // Only WeChat's browser loads the note's code (wechat.js), not every first visit.
  var wechat = document.createElement('script');
  wechat.src = 'wechat.js';
  document.head.appendChild(wechat);
}
(function () {
  if (!('BroadcastChannel' in window)) return;
  new BroadcastChannel('ruhu-records').onmessage = function (e) {
    if (!e.data || !e.data.wipe || document.documentElement.hasAttribute('data-wiping')) return;
    try { sessionStorage.clear(); } catch (_) { /* nothing kept */ }
    location.replace(location.pathname);
  };
})();
(function () {
  if (!('serviceWorker' in navigator)) return;
  var updating = false;
  // The first install also changes the controller (clients.claim()): that is no new version.
  var controlled = !!navigator.serviceWorker.controller;
  /** Asks the open editor to save now; resolves when everything typed has committed. */
  function saved() {
    var waits = [];
    window.dispatchEvent(new CustomEvent('ruhu-flush', { detail: { waitUntil: function (p) { waits.push(p); } } }));
    return Promise.all(waits);
  }
  /** Another tab switched to the new version: reload as soon as no form is being edited. */
  function reloadWhenIdle() {
    var root = document.documentElement;
    if (!root.hasAttribute('data-editing')) { location.reload(); return; }
    var note = document.createElement('div');
    note.id = 'update-prompt';
    note.className = 'update-prompt';
    note.setAttribute('role', 'status');
    note.textContent = '新版本已在另一窗口启用，离开此记录后将自动载入新版本';
    var old = document.getElementById('update-prompt');
    if (old) old.remove();
    document.body.appendChild(note);
    new MutationObserver(function (_, observer) {
      if (root.hasAttribute('data-editing')) return;
      observer.disconnect();
      saved().then(function () { location.reload(); }, function () { location.reload(); });
    }).observe(root, { attributes: true, attributeFilter: ['data-editing'] });
  }
  function prompt(worker) {
    if (document.getElementById('update-prompt')) return;
    var box = document.createElement('div');
    box.id = 'update-prompt';
    box.className = 'update-prompt';
    box.setAttribute('role', 'alert');
    var text = document.createElement('span');
    text.textContent = '新版本可用';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button primary';
    button.textContent = '更新';
    button.onclick = function () {
      button.disabled = true;
      text.textContent = '正在保存…';
      // The page reloads (on controllerchange) only once the editor's save has committed.
      saved().then(function () {
        updating = true;
        text.textContent = '正在更新…';
        worker.postMessage({ type: 'SKIP_WAITING' });
      }, function (why) {
        button.disabled = false;
        text.textContent = '新版本可用 · 修改尚未保存，暂不更新：' + why;
      });
    };
    box.appendChild(text);
    box.appendChild(button);
    document.body.appendChild(box);
    // The editor's 撤销 snackbar stacks above the prompt by its height (style/form.css).
    function measure() {
      document.documentElement.style.setProperty('--update-prompt-h', box.offsetHeight + 'px');
    }
    measure();
    window.addEventListener('resize', measure);
  }
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    if (updating) { location.reload(); return; }
    if (!controlled) { controlled = true; return; }
    reloadWhenIdle();
  });
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('sw.js').then(function (reg) {
      if (reg.waiting && navigator.serviceWorker.controller) prompt(reg.waiting);
      reg.addEventListener('updatefound', function () {
        var worker = reg.installing;
        if (!worker) return;
        worker.addEventListener('statechange', function () {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) prompt(worker);
        });
      });
      setInterval(function () { reg.update().catch(function () {}); }, 60 * 60 * 1000);
    }).catch(function (e) { console.warn('service worker', e); });
  });
})();
