// The note shown inside WeChat's own browser (loaded by sw-register.js only when the user
// agent says `MicroMessenger`; issue 14, part 6): one line and a picture of where to tap, asking
// to open the page in the phone's browser. See sw-register.js.
(function () {
  if (!/MicroMessenger/i.test(navigator.userAgent) || document.getElementById('wechat-note')) return;
  var note = document.createElement('p');
  note.id = 'wechat-note';
  note.className = 'wechat-note';
  note.setAttribute('role', 'note');
  var picture = document.createElement('img');
  picture.src = 'icons/wechat-open.svg';
  picture.alt = '右上角的 ··· 菜单，其中的“在浏览器打开”';
  picture.width = 88;
  picture.height = 51;
  var text = document.createElement('span');
  var line = document.createElement('strong');
  line.textContent = '请点右上角 ··· 选“在浏览器打开”';
  var why = document.createElement('small');
  why.textContent = '微信里下载文件和离线使用不可靠';
  text.appendChild(line);
  text.appendChild(why);
  note.appendChild(picture);
  note.appendChild(text);
  document.body.insertBefore(note, document.body.firstChild);
})();
