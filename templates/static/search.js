// Site search. Without JavaScript, or opened from disk (Pagefind needs a web
// server), there is no search button at all. Pagefind's own script, styles
// and index load only when the reader first opens search.
(function (d) {
  var me = d.currentScript, root = new URL("../", me.src), host = d.querySelector(".masthead .wrap, .index-head");
  if (!host || location.protocol == "file:") return;
  var button = d.createElement("button"), box = d.createElement("div");
  button.className = "search-open";
  button.textContent = me.dataset.label;
  button.setAttribute("aria-expanded", false);
  box.id = "search";
  box.className = "wrap";
  box.hidden = true;
  host.append(button);
  host.closest("header").after(box); // below the masthead, outside its flex row
  button.onclick = function () {
    button.setAttribute("aria-expanded", box.hidden);
    if ((box.hidden = !box.hidden) || box.firstChild) return;
    var css = d.createElement("link"), js = d.createElement("script");
    css.rel = "stylesheet";
    css.href = root + "pagefind/pagefind-ui.css";
    js.src = root + "pagefind/pagefind-ui.js";
    js.onload = function () {
      new PagefindUI({element: "#search", bundlePath: root + "pagefind/", baseUrl: root.pathname, showImages: false, autofocus: true});
    };
    d.head.append(css, js);
  };
})(document);
