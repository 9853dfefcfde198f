/* Sizes this site's embeds in your page: every <iframe data-explainer-embed> takes the height its
   page says it has (Pym.js or @newswire/frames messages, from that frame only). One copy runs
   however many snippets a page holds. No cookies, no requests of its own. */
(function () {
  "use strict";
  /* A symbol: an element with id="explainerEmbeds" in the page cannot stand in for it. */
  var ONCE = typeof Symbol === "function" ? Symbol.for("explainer-embeds") : "__explainerEmbeds";
  if (window[ONCE] === true) return;
  window[ONCE] = true;
  var MAX = 20000;
  var WHOLE = /^[1-9][0-9]{0,4}$/;  /* a height as our pages send it: a whole number of pixels, nothing else */

  function number(value) {
    if (typeof value === "number") return Number.isInteger(value) ? value : 0;
    return typeof value === "string" && WHOLE.test(value) ? Number(value) : 0;
  }

  function frames() { return document.querySelectorAll("iframe[data-explainer-embed]"); }

  function heightIn(data) {
    if (typeof data === "string") {
      var parts = data.split("xPYMx");
      return parts.length === 4 && parts[0] === "pym" && parts[2] === "height" ? number(parts[3]) : 0;
    }
    return data && data.sentinel === "amp" && data.type === "embed-size" ? number(data.height) : 0;
  }

  window.addEventListener("message", function (event) {
    var height = heightIn(event.data);
    if (!(height > 0 && height <= MAX)) return;
    var all = frames();
    for (var i = 0; i < all.length; i++) {
      if (all[i].contentWindow === event.source) all[i].height = String(height);
    }
  });

  /* Frames that loaded before this script did have told their height already: ask again. */
  function ask() {
    var all = frames();
    for (var i = 0; i < all.length; i++) {
      if (all[i].contentWindow) all[i].contentWindow.postMessage("pymxPYMxxPYMxwidthxPYMx" + all[i].offsetWidth, "*");
    }
  }
  ask();
  window.addEventListener("load", ask);
})();
