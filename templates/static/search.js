// Site search, the part every page carries: a "Search" button. Without JavaScript, or opened
// from disk (the index is fetched from a web server), there is no button at all. The search
// box (search-ui.js), its styles and the index are fetched only when the reader opens search.
(function (d) {
  var me = d.currentScript, host = d.querySelector(".masthead .wrap, .index-head");
  if (!host || location.protocol == "file:" || !window.fetch) return;
  var button = d.createElement("button"), box = d.createElement("div");
  button.type = "button";
  button.className = "search-open";
  button.textContent = me.dataset.label;
  button.setAttribute("aria-expanded", false);
  button.setAttribute("aria-controls", box.id = "search");
  box.className = "wrap";
  box.setAttribute("role", "search"); // a landmark, so the results are inside one too
  box.setAttribute("aria-label", me.dataset.label);
  box.hidden = true;
  host.append(button);
  host.closest("header").after(box); // below the masthead, outside its flex row
  button.onclick = function () {
    button.setAttribute("aria-expanded", box.hidden);
    if ((box.hidden = !box.hidden)) return;
    var input = box.querySelector("input");
    if (input) return input.focus();
    if (box.dataset.loading) return;
    box.dataset.loading = "";
    var css = d.createElement("link"), js = d.createElement("script");
    css.rel = "stylesheet";
    css.href = me.dataset.css;
    js.src = me.dataset.ui;
    Object.assign(js.dataset, me.dataset); // read through currentScript: no tag an article holds stands in
    d.head.append(css, js);
  };
})(document);
