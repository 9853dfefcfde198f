/* Video and audio players (media.js) load only on a page that has one to play. */
(function (d) {
  var me = d.currentScript, media = d.createElement("script");
  if (!me || !d.querySelector("a[href].video-frame, a[href].audio-frame")) return;
  media.src = me.dataset.media;
  d.head.append(media);
})(document);

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
