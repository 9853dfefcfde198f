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
    var link = e.target.closest && e.target.closest("a[href].video-frame, a[href].audio-frame");
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
