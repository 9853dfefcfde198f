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
    var css = d.createElement("link"), theme = d.createElement("link"), js = d.createElement("script"), at = root + "pagefind/", base = root.pathname;
    // The index is in shards, each a Pagefind bundle (generator/search.py): the first
    // that holds pages in this page's language is searched, the others merged in.
    var shards = fetch(at + "shards.json", {cache: "no-cache"}).then(function (r) { return r.json(); });
    var bundle = function (s) { return {bundlePath: at + s + "/", baseUrl: base}; };
    css.rel = theme.rel = "stylesheet";
    css.href = at + "pagefind-ui.css";
    theme.href = me.dataset.css; // the theme's colours for it, after Pagefind's own
    js.src = at + "pagefind-ui.js";
    js.onload = function () {
      shards.then(function (m) {
        var lang = d.documentElement.lang.toLowerCase(), own = m.languages[lang] || m.languages[lang.split("-")[0]] || m.shards;
        new PagefindUI({element: "#search", bundlePath: at, basePath: at + own[0] + "/", baseUrl: base,
          mergeIndex: own.slice(1).map(bundle), showImages: false, autofocus: true});
        // Pagefind names its box with a title only: a label is what assistive technology expects.
        var input = box.querySelector("input");
        if (input) input.setAttribute("aria-label", input.title || me.dataset.label);
      });
    };
    d.head.append(css, js);
    if (me.dataset.css) css.after(theme);
  };
})(document);
