/* Sizes this site's embeds in your page: every <iframe data-explainer-embed> takes the height its
   page says it has (Pym.js or @newswire/frames messages, from that frame only). One copy runs
   however many snippets a page holds. No cookies, no requests of its own. */
(function () {
  "use strict";
  if (window.explainerEmbeds) return;
  window.explainerEmbeds = true;
  var MAX = 20000;

  function frames() { return document.querySelectorAll("iframe[data-explainer-embed]"); }

  function heightIn(data) {
    if (typeof data === "string") {
      var parts = data.split("xPYMx");
      return parts[0] === "pym" && parts[2] === "height" ? parseInt(parts[3], 10) : 0;
    }
    return data && data.sentinel === "amp" && data.type === "embed-size" ? parseInt(data.height, 10) : 0;
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
