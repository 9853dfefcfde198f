/* "Copy embed code": shows each control's button and copies its snippet when clicked. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".embed-copy");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", copy);
  }

  function copy(event) {
    var button = event.currentTarget;
    var box = document.getElementById(button.getAttribute("data-snippet"));
    var status = button.parentNode.querySelector(".embed-copied");
    var said = function (ok) { status.textContent = ok ? button.getAttribute("data-done") : ""; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { said(true); }, function () { fallback(box, said); });
    } else {
      fallback(box, said);
    }
  }

  /* Where the clipboard API is not allowed (a page served over plain http), select the text and copy. */
  function fallback(box, said) {
    box.closest("details").open = true;
    box.focus();
    box.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    said(ok);
  }
})();
