/* Material for MkDocs' search worker, answered from this language's Pagefind bundle.

   Material's page script talks to its worker in four messages (SETUP, READY, QUERY, RESULT) and
   renders what comes back; the messages are the documented way to bring another search
   (see Material's setupSearchWorker). This worker keeps that protocol, so the dialog, the keyboard
   shortcuts, the result list and the highlighting on the opened page stay Material's, while a
   query fetches only the index chunks and page fragments it needs (scripts/atlas/search.py writes
   one bundle per language, so results are in the page's language only).

   Everything returned is HTML that Material inserts as it is: every text from the index is
   escaped here, and the only markup kept is our own <mark>. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// Results fetched at a time, each with its page fragment (excerpt and sections): Pagefind's own
// page size. A page's fragment is its whole text (1 to 35 KB gzip), so more at once would pass
// the budget of a first search (BENCHMARKS.md); "more results" (overrides/main.html) asks for
// the next ones.
var PAGE_SIZE = 5;
var ATLAS_MORE = "atlas:more";

var pagefind = null;      // the bundle's module, once imported
var current = null;       // the last query's words, results and the groups sent so far
var bundle = "";          // absolute URL of this language's bundle folder
var latest = 0;           // a newer query makes an older one's answer moot

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

// Pagefind's segmenter joins Chinese words with U+200B in stored text; a reader copying an
// excerpt should not carry them.
function plain(text) {
  return String(text || "").replace(/\u200b/g, "").replace(/¶/g, "").trim();
}

// Pagefind's excerpt is text with <mark> around the matched words: escape all of it, keep the marks.
function excerptHTML(excerpt) {
  return plain(excerpt).split(/(<\/?mark>)/).map(function (part) {
    return part === "<mark>" || part === "</mark>" ? part : escapeHTML(part);
  }).join("");
}

// Titles are plain text: escape, then mark the query's words as Material's own worker does.
function titleHTML(title, words) {
  var html = escapeHTML(plain(title));
  words.forEach(function (word) {
    var w = escapeHTML(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (w) html = html.replace(new RegExp("(" + w + ")(?![^<]*>)", "gi"), "<mark>$1</mark>");
  });
  return html;
}

function relative(url) {
  return url.replace(/^\//, "");
}

function queryWords(query) {
  return query.replace(/["+\-~^*:]/g, " ").split(/\s+/).filter(Boolean);
}

// Which query words a page holds. Pagefind drops a Chinese word it has never indexed and answers
// for the rest (化缘 becomes 化): such a word is marked missing on each result that lacks it, as
// Material's own search did ("Missing: 化缘"). Other words are matched by Pagefind's stemmer and
// trusted.
var HAN = /\p{Script=Han}/u;
function terms(words, content) {
  var t = {}, text = plain(content).toLowerCase();
  words.forEach(function (w) { t[w] = !HAN.test(w) || content === undefined || text.indexOf(w.toLowerCase()) >= 0; });
  return t;
}

// One Pagefind result as Material's group: the page first, then its sections; a section whose
// share of the matches is below the best one's is folded under "more" by Material.
function group(data, score, words) {
  var page = {
    location: relative(data.url.split("#")[0]),
    title: titleHTML(data.meta && data.meta.title || data.url, words),
    text: "",
    score: score,
    terms: terms(words, data.content)
  };
  var sections = [];
  var best = 0;
  (data.sub_results || []).forEach(function (sub) {
    var weight = (sub.weighted_locations || sub.locations || []).length;
    if (sub.url.indexOf("#") < 0) {
      page.text = excerptHTML(sub.excerpt);
      return;
    }
    best = Math.max(best, weight);
    sections.push({ sub: sub, weight: weight });
  });
  if (!page.text && !sections.length) page.text = excerptHTML(data.excerpt);
  var items = [page];
  // Material expects a group's sections best first: it shows those as good as the page and
  // folds the rest.
  sections.sort(function (a, b) { return b.weight - a.weight; });
  sections.forEach(function (s) {
    items.push({
      location: relative(s.sub.url),
      title: titleHTML(s.sub.title, words),
      text: excerptHTML(s.sub.excerpt),
      score: s.weight === best ? score : score * s.weight / (best + 1),
      terms: page.terms
    });
  });
  return items;
}

// While a reader types, Material sends a query per keystroke. Each is searched at once (the
// index chunks it needs are fetched once and kept, and the search itself takes milliseconds), but
// page fragments are fetched only for the newest query: an older one's answer is dropped.
async function search(query, id) {
  var words = queryWords(query);
  if (!words.length) { current = null; return { items: [], total: 0 }; }
  var found = await pagefind.search(query);
  if (!found || !found.results || id !== latest) return null;
  current = { words: words, results: found.results, items: [] };
  return more(id);
}

async function more(id) {
  var state = current;
  var next = state.results.slice(state.items.length, state.items.length + PAGE_SIZE);
  var datas = await Promise.all(next.map(function (r) { return r.data(); }));
  if (id !== latest || state !== current) return null;
  datas.forEach(function (data, i) { state.items.push(group(data, next[i].score, state.words)); });
  // `total` is ours (Material reads only `items`): the page script says how many there are.
  return { items: state.items.slice(), total: state.results.length };
}

self.addEventListener("message", async function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    var config = message.data.config;
    var root = new URL("../../", self.location.href);
    bundle = new URL(config.bundle, root).href;
    try {
      pagefind = await import(bundle + "pagefind.js");
      // metaCacheTag: the bundle's build, so a reader's browser may keep its entry file between
      // pages (Pagefind's default asks for it afresh on every page).
      await pagefind.options({ basePath: bundle, baseUrl: "/", excerptLength: 24,
                               metaCacheTag: config.build || null });
      await pagefind.init();
    } catch (err) {
      console.warn("Search could not load its index:", err);
    }
    postMessage({ type: READY });
  } else if (message.type === ATLAS_MORE) {
    if (current && current.items.length < current.results.length) {
      var answer = await more(latest).catch(function (err) { console.warn("Search failed:", err); return null; });
      if (answer) postMessage({ type: RESULT, data: answer });
    }
  } else if (message.type === QUERY) {
    var id = ++latest;
    var result = { items: [] };
    try {
      if (pagefind) result = await search(message.data, id);
    } catch (err) {
      console.warn("Search failed for", message.data, err);
    }
    if (result && id === latest) postMessage({ type: RESULT, data: result });
  }
});
