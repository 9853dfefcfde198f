/* Video and audio behind a facade: a link to the media (a.video-frame, a.audio-frame) becomes
   its player on the click, so nothing is fetched from another site before the reader asks.
   YouTube and Vimeo play from their privacy-friendly addresses; a file plays in <video> or
   <audio>; any other link, and every link without this script, opens the media's page. */
(function () {
  "use strict";
  function element(tag, props) {
    var el = document.createElement(tag);
    Object.keys(props).forEach(function (k) { el[k] = props[k]; });
    el.className = "player";
    return el;
  }

  function frame(src) {
    return element("iframe", { src: src, allow: "autoplay; encrypted-media; picture-in-picture; fullscreen" });
  }

  function player(url) {
    var host = url.hostname.replace(/^(www|m)\./, ""), path = url.pathname, id;
    if (host === "youtu.be") id = path.slice(1);
    else if (/^youtube(-nocookie)?\.com$/.test(host)) id = url.searchParams.get("v") || (path.match(/^\/(?:embed|shorts|live)\/([\w-]+)/) || [])[1];
    if (id) return /^[\w-]+$/.test(id) ? frame("https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1") : null;
    if (host === "vimeo.com" || host === "player.vimeo.com") {
      id = (path.match(/(\d+)\/?$/) || [])[1];
      return id ? frame("https://player.vimeo.com/video/" + id + "?dnt=1&autoplay=1") : null;
    }
    var ext = (path.match(/\.(\w+)$/) || [])[1] || "";
    if (/^(mp4|webm|ogv|m4v|mov)$/i.test(ext)) return element("video", { src: url.href, controls: true, autoplay: true });
    if (/^(mp3|m4a|aac|oga|ogg|opus|wav|flac)$/i.test(ext)) return element("audio", { src: url.href, controls: true, autoplay: true });
    return null;
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.video-frame, a.audio-frame");
    if (!link || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var made = player(new URL(link.href));
    if (!made) return;
    e.preventDefault();
    made.title = link.textContent.trim();
    made.setAttribute("aria-label", made.title);
    link.replaceWith(made);
    made.focus();
  });
})();

/* Country mentions open their fact box as a popover on wide screens.
   Without this script (or without popover support) the links jump to the box. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  var pop = document.createElement("div");
  if (typeof pop.showPopover !== "function") return;
  var links = document.querySelectorAll("a.mention[href^='#']");
  if (!links.length) return;
  var current = null;

  pop.className = "pop";
  pop.id = "mention-pop";
  pop.setAttribute("popover", "manual");
  pop.setAttribute("role", "dialog");
  pop.setAttribute("aria-labelledby", "mention-pop-title");
  pop.tabIndex = -1;
  document.body.appendChild(pop);

  function box(link) {
    return document.getElementById(decodeURIComponent(link.hash.slice(1)));
  }

  function sync() {
    links.forEach(function (a) {
      if (wide.matches && box(a)) {
        a.setAttribute("aria-haspopup", "dialog");
        a.setAttribute("aria-controls", pop.id);
        a.setAttribute("aria-expanded", String(a === current));
      } else {
        ["aria-haspopup", "aria-controls", "aria-expanded"].forEach(function (n) { a.removeAttribute(n); });
      }
    });
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var w = pop.offsetWidth, h = pop.offsetHeight, vw = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    var top = r.bottom + 8;
    if (top + h > window.innerHeight - 8 && r.top - h - 8 > 8) top = r.top - h - 8;
    pop.style.left = left + window.scrollX + "px";
    pop.style.top = top + window.scrollY + "px";
  }

  function open(link, target) {
    var card = target.cloneNode(true);
    card.removeAttribute("id");
    card.removeAttribute("aria-labelledby");
    card.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    var title = card.querySelector("h3");
    if (title) title.id = "mention-pop-title";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "pop-close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { hide(true); });
    var more = document.createElement("a");
    more.className = "pop-more";
    more.href = link.hash;
    more.textContent = "Go to the fact box \u2193";
    more.addEventListener("click", function () { hide(false); });
    pop.replaceChildren(close, card, more);
    if (current && current !== link) hide(false);
    current = link;
    if (!pop.matches(":popover-open")) pop.showPopover();
    place(link);
    sync();
    pop.focus({ preventScroll: true });
  }

  function hide(refocus) {
    if (!current) return;
    var link = current;
    current = null;
    if (pop.matches(":popover-open")) pop.hidePopover();
    sync();
    if (refocus) link.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a.mention");
    if (link && wide.matches && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) {
      var target = box(link);
      if (!target) return;
      e.preventDefault();
      if (current === link) hide(true);
      else open(link, target);
    } else if (current && !pop.contains(e.target)) {
      hide(false);
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && current) {
      e.preventDefault();
      hide(true);
    }
  });

  pop.addEventListener("focusout", function (e) {
    if (current && e.relatedTarget && !pop.contains(e.relatedTarget) && e.relatedTarget !== current) hide(false);
  });

  window.addEventListener("resize", function () {
    if (!current) return;
    if (wide.matches) place(current); else hide(false);
  });

  if (wide.addEventListener) wide.addEventListener("change", sync);
  sync();
})();
