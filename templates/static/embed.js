/* An embed page tells the page around it how tall it is, in the messages that news sites'
   parent scripts understand: Pym.js ("pymxPYMx<id>xPYMxheightxPYMx<px>", the id from the
   childId the Pym parent puts in the frame's address) and @newswire/frames
   ({sentinel: "amp", type: "embed-size", height}), which the site's own embed-parent.js
   reads too. It answers a parent's request (Pym's width message, frames' init) at once. */
(function () {
  "use strict";
  var up = window.parent;
  if (!up || up === window) return;
  var id = new URLSearchParams(window.location.search).get("childId") || "";
  var prefix = "pymxPYMx" + id + "xPYMx";
  var told = 0;

  function tell(force) {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!height || (height === told && !force)) return;
    told = height;
    up.postMessage(prefix + "heightxPYMx" + height, "*");
    up.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== up) return;
    var data = event.data;
    if ((typeof data === "string" && data.indexOf(prefix + "widthxPYMx") === 0) ||
        (data && data.sentinel === "amp" && data.type === "frames-init")) tell(true);
  });
  if (window.ResizeObserver) new ResizeObserver(function () { tell(false); }).observe(document.documentElement);
  window.addEventListener("resize", function () { tell(false); });
  window.addEventListener("load", function () { tell(true); });
  tell(true);
})();
