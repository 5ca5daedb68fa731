// Progressive enhancement only: every page works without JavaScript.
document.querySelectorAll('.copy').forEach(function (box) {
  var input = box.querySelector('input');
  var button = box.querySelector('.copy-button');
  if (!input || !button || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(input.value).then(function () { button.textContent = 'Copied'; });
  });
  input.addEventListener('focus', function () { input.select(); });
});
