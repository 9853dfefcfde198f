// The search box, loaded by search.js when the reader first opens search, over the index
// the generator writes into search/ (generator/search.py): the list of the language's pages,
// then for each word typed the one small file of words that begin with its first two
// letters, and the text under a result last.
(function (d) {
  var me = d.currentScript, box = d.getElementById("search"); // its settings are copied from search.js's
  if (!me || !box) return;
  var say = me.dataset, at = new URL("../", me.src) + "search/", root = new URL("../", me.src), files = {}, shown = 0, ranked = [], asked = 0, index;
  var form = el("form"), input = el("input"), status = el("p", "search-status"), list = el("ol", "search-results"), more = el("button", "search-more", say.more);
  more.type = "button";
  more.hidden = true;
  input.type = "search";
  input.autocomplete = "off";
  input.setAttribute("aria-label", input.placeholder = say.label);
  status.setAttribute("role", "status");
  form.append(input);
  box.append(form, status, list, more);

  function el(name, cls, text) {
    var e = d.createElement(name);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function get(path) { // each file once; a failed fetch is tried again next time
    return files[path] || (files[path] = fetch(at + path).then(function (r) {
      if (r.ok) return r.json();
      if (r.status == 404) return null;
      throw new Error(r.status);
    }).catch(function (e) { delete files[path]; throw e; }));
  }
  // As generator/search.py reads pages: lower case, runs of letters, digits and _, without accents.
  function words(text) {
    var run = /[\p{L}\p{N}_]+/gu;
    return (text.toLowerCase().match(run) || []).flatMap(function (w) {
      return w.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(run) || [];
    });
  }
  function bucket(word) {
    return Array.from(word).slice(0, 2).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }
  function language() { // the page's, else its base language, else the first there is
    return get("languages.json").then(function (all) {
      var lang = d.documentElement.lang.toLowerCase();
      return all.indexOf(lang) >= 0 ? lang : all.indexOf(lang.split("-")[0]) >= 0 ? lang.split("-")[0] : all[0];
    });
  }
  function open() {
    index = index || language().then(function (lang) {
      return get(lang + "/pages.json").then(function (pages) {
        var total = 0;
        pages.forEach(function (p) { total += p[2]; });
        return {lang: lang, pages: pages, average: total / Math.max(pages.length, 1) || 1};
      });
    });
    return index;
  }
  // BM25 over the pages holding every word (a word also matches the longer words it begins).
  function rank(site, query) {
    var asked = words(query).filter(function (w) { return w.length > 1; });
    if (!asked.length) return Promise.resolve([]);
    return Promise.all(asked.map(function (w) { return get(site.lang + "/" + bucket(w) + ".json"); })).then(function (found) {
      var scores = null, n = site.pages.length;
      asked.forEach(function (w, i) {
        var mine = {}, terms = found[i] || {};
        Object.keys(terms).forEach(function (term) {
          if (term.lastIndexOf(w, 0) !== 0) return;
          var list = terms[term], idf = Math.log(1 + (n - list.length / 2 + 0.5) / (list.length / 2 + 0.5));
          for (var j = 0; j < list.length; j += 2) {
            var page = list[j], count = list[j + 1], norm = 1 - 0.75 + 0.75 * site.pages[page][2] / site.average;
            var s = idf * count * 2.2 / (count + 1.2 * norm) * (term == w ? 1 : 0.8);
            if (!(mine[page] >= s)) mine[page] = s;
          }
        });
        var next = {};
        Object.keys(mine).forEach(function (page) {
          if (scores === null || page in scores) next[page] = (scores ? scores[page] : 0) + mine[page];
        });
        scores = next;
      });
      return Object.keys(scores).map(Number).sort(function (a, b) {
        return scores[b] - scores[a] || (site.pages[a][1] < site.pages[b][1] ? -1 : 1);
      }).map(function (page) { return {page: site.pages[page], words: asked}; });
    });
  }
  // About thirty words of the text around the first word found, the words found marked.
  function excerpt(text, asked) {
    var p = el("p", "search-excerpt"), tokens = [], re = /[\p{L}\p{N}_]+/gu, m, first = -1;
    while ((m = re.exec(text))) {
      var hit = asked.some(function (w) { return words(m[0]).join("").lastIndexOf(w, 0) === 0; });
      tokens.push([m.index, m.index + m[0].length, hit]);
      if (hit && first < 0) first = tokens.length - 1;
      if (first >= 0 && tokens.length > first + 24) break;
    }
    if (!tokens.length) return p;
    var from = Math.max(0, first - 6), to = Math.min(tokens.length - 1, Math.max(first, 0) + 24), at = tokens[from][0];
    if (from > 0) p.append("… ");
    for (var i = from; i <= to; i++) {
      p.append(text.slice(at, tokens[i][0]));
      p.append(tokens[i][2] ? el("mark", "", text.slice(tokens[i][0], tokens[i][1])) : text.slice(tokens[i][0], tokens[i][1]));
      at = tokens[i][1];
    }
    p.append(to < tokens.length - 1 || tokens[to][1] < text.length ? " …" : "");
    return p;
  }
  function show(count) {
    var base = root.pathname;
    ranked.slice(shown, shown + count).forEach(function (hit) {
      var li = el("li"), a = el("a", "", hit.page[1] || hit.page[0]);
      a.href = base + hit.page[0];
      li.append(a);
      list.append(li);
      get("text/" + hit.page[3] + ".json").then(function (text) { if (text) li.append(excerpt(text, hit.words)); }, function () {});
    });
    shown = Math.min(ranked.length, shown + count);
    more.hidden = shown >= ranked.length;
  }
  function search() {
    var mine = ++asked, query = input.value;
    open().then(function (site) { return rank(site, query); }).then(function (found) {
      if (mine != asked) return; // a later query is on its way
      ranked = found;
      shown = 0;
      list.textContent = "";
      status.textContent = query.trim() ? (found.length ? say.found + " " + found.length : say.none) : "";
      show(10);
    }, function () {
      if (mine == asked) status.textContent = say.failed;
    });
  }
  var timer;
  input.oninput = function () { clearTimeout(timer); timer = setTimeout(search, 120); };
  form.onsubmit = function (e) { e.preventDefault(); clearTimeout(timer); search(); };
  more.onclick = function () { show(10); };
  input.focus();
  open().catch(function () {});
})(document);
