// Service worker registration for every page (index.html, app.html, office.html): offline use,
// and updates that wait until the person says so (新版本可用 · 更新; see sw.js).
(function () {
  if (!('serviceWorker' in navigator)) return;
  var updating = false;
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
      updating = true;
      button.disabled = true;
      // Let the editor save what is pending before the page reloads.
      window.dispatchEvent(new Event('ruhu-flush'));
      setTimeout(function () { worker.postMessage({ type: 'SKIP_WAITING' }); }, 150);
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
    if (updating) location.reload();
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
