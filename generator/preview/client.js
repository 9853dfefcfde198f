// Added by `python -m generator serve` to the pages it serves; never published.
(function () {
  "use strict";
  var me = document.currentScript;
  var page = (me && me.dataset.page) || "";
  var generation = (me && me.dataset.generation) || "0";
  var state = window.__preview = { socket: false, livereload: false, status: null };
  document.addEventListener("LiveReloadConnect", function () { state.livereload = true; });
  document.addEventListener("LiveReloadDisconnect", function () { state.livereload = false; });
  var host = null, dismissed = null, delay = 500;

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/__preview__/ws?page=" + encodeURIComponent(page) + "&generation=" + encodeURIComponent(generation);
    var ws = new WebSocket(url);
    ws.onopen = function () { state.socket = true; delay = 500; };
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "reload") { location.reload(); }
      else if (message.type === "status") { state.status = message; show(message); }
    };
    ws.onclose = function () {
      state.socket = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function hide() {
    if (host) { host.remove(); host = null; }
  }

  // The overlay's style (client.css), asked for once, as the page loads: in place before a
  // failed build is shown, and every status shown in the order it came.
  var styles = fetch("/__preview__/client.css")
    .then(function (response) { return response.ok ? response.text() : ""; })
    .catch(function () { return ""; });

  function show(status) {
    styles.then(function (css) { render(status, css); });
  }

  function render(status, css) {
    if (status.state !== "failed") { dismissed = null; hide(); return; }
    var key = JSON.stringify(status.problems);
    if (key === dismissed) { return; }
    hide();
    host = el("div", { id: "__preview-overlay" });
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    root.appendChild(el("style", {}, css));
    var box = el("section", { "class": "box", role: "alert", "aria-labelledby": "preview-title" });
    var head = el("div", { "class": "head" });
    var titles = el("div", {});
    var count = status.problems.length;
    titles.appendChild(el("h2", { id: "preview-title" },
      "The build failed: " + count + (count === 1 ? " problem" : " problems")));
    titles.appendChild(el("p", { "class": "note" },
      "Below is the last good version of the page. This panel goes away by itself at the next good build."));
    head.appendChild(titles);
    var close = el("button", { type: "button", "aria-label": "Dismiss the build errors" }, "Dismiss");
    close.addEventListener("click", function () { dismissed = key; hide(); });
    head.appendChild(close);
    box.appendChild(head);
    var list = el("ol", {});
    status.problems.forEach(function (p) {
      var item = el("li", {});
      item.appendChild(el("p", { "class": "where" }, p.path + ":" + p.line + ":" + p.col + " (" + p.severity + ")"));
      item.appendChild(el("p", { "class": "msg" }, p.message));
      if (p.source !== null && p.source !== undefined) {
        var pre = el("pre", { "aria-label": "line " + p.line + " of " + p.path });
        pre.appendChild(el("span", { "class": "ln" }, String(p.line).padStart(4, " ") + " | "));
        pre.appendChild(document.createTextNode(p.source));
        item.appendChild(pre);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") { dismissed = key; hide(); } });
    root.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
  }

  connect();
})();
