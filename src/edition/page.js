
(function () {
  'use strict';
  function $(id) { return document.getElementById(id); }
  var meta = JSON.parse($('meta').textContent);
  var data = null;
  // Parsed on first use: a long work's segment data is megabytes, and the first paint must
  // not wait for it.
  function segdata() { if (!data) data = JSON.parse($('segdata').textContent); return data; }
  var panel = $('panel');
  function each(sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); }
  var bySeg = null;
  function sameSeg(seg) {
    if (!bySeg) {
      bySeg = {};
      each('.s[data-seg]', function (e) {
        var k = e.getAttribute('data-seg');
        (bySeg[k] = bySeg[k] || []).push(e);
      });
    }
    return bySeg[seg] || [];
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pageUrl() { return location.href.split('#')[0]; }
  function citation(seg, sid) {
    var lid = sid.split('.')[0];
    var l = meta.layers[lid] || ['', lid];
    var t = meta.title + '. ' + l[1] + ' layer' + (l[0] ? ', \u201c' + l[0] + '\u201d' : '') +
      ', sentence ' + sid + (seg.indexOf('unaligned-') === 0 ? '' : ', segment ' + seg) +
      '. Parallel edition made with tei-align ' + meta.version + (meta.date ? ', alignment of ' + meta.date : '') +
      '. ' + pageUrl() + '#' + sid + ' (accessed ' + new Date().toISOString().slice(0, 10) + ').';
    return t;
  }
  function show(seg, sid) {
    var info = segdata()[seg];
    panel.textContent = '';
    var h = el('h2', '', (seg.indexOf('unaligned-') === 0 ? 'Sentence without counterpart' : 'Segment ' + seg) + ' \u2014 ' + sid);
    h.tabIndex = -1;
    panel.appendChild(h);
    var links = el('p', 'links');
    var a = el('a', '', 'Permalink #' + (seg.indexOf('unaligned-') === 0 ? sid : seg));
    a.href = '#' + (seg.indexOf('unaligned-') === 0 ? sid : seg);
    links.appendChild(a);
    links.appendChild(document.createTextNode(' \u00b7 '));
    var b = el('button', 'cite-btn', 'Cite');
    b.type = 'button';
    b.setAttribute('aria-expanded', 'false');
    links.appendChild(b);
    panel.appendChild(links);
    var c = el('p', 'cite', citation(seg, sid));
    c.id = 'cite-text';
    c.hidden = true;
    panel.appendChild(c);
    b.setAttribute('aria-controls', 'cite-text');
    b.addEventListener('click', function () {
      c.hidden = !c.hidden;
      b.setAttribute('aria-expanded', String(!c.hidden));
      if (!c.hidden && navigator.clipboard) navigator.clipboard.writeText(c.textContent).catch(function () {});
    });
    if (!info) return;
    var m = el('p', 'members');
    // The counterparts as links: following one chooses it (fromHash), Back comes back.
    info.m.forEach(function (pair, i) {
      if (i) m.appendChild(document.createTextNode(' \u00b7 '));
      m.appendChild(el('b', '', pair[0] + ': '));
      if (!pair[1].length) m.appendChild(document.createTextNode('\u2014'));
      pair[1].forEach(function (id, k) {
        if (k) m.appendChild(document.createTextNode(' '));
        var a = el('a', '', id);
        a.href = '#' + encodeURIComponent(id);
        if (id === sid) a.setAttribute('aria-current', 'true');
        m.appendChild(a);
      });
    });
    panel.appendChild(m);
    if (!info.c.length) { panel.appendChild(el('p', '', 'No provenance recorded for this segment.')); return; }
    var ol = el('ol', 'chain');
    info.c.forEach(function (st) {
      var li = el('li');
      li.appendChild(el('b', '', st.from + ' \u2192 ' + st.to));
      li.appendChild(document.createTextNode(' ' + st.how + (st.by ? ' by ' + st.by : '') + ' \u00b7 ' + st.what + ' \u00b7 '));
      var ok = st.status.indexOf('confirmed') === 0;
      li.appendChild(el('span', ok ? 'ok' : '', st.status + (ok ? ' \u2713' : '')));
      if (st.cert !== undefined) li.appendChild(document.createTextNode(', confidence ' + st.cert));
      if (st.doubtful) li.appendChild(el('span', 'doubt', ' \u00b7 doubtful'));
      ol.appendChild(li);
    });
    panel.appendChild(ol);
  }
  function select(s, scroll) {
    each('.s.hl', function (e) { e.classList.remove('hl'); });
    each('.s.cur', function (e) { e.classList.remove('cur'); });
    var seg = s.getAttribute('data-seg');
    sameSeg(seg).forEach(function (e) { e.classList.add('hl'); });
    s.classList.add('cur');
    // A later part of a sentence (verse over lines) names its sentence in data-s.
    show(seg, s.getAttribute('data-s') || s.id);
    panel.classList.add('open');
    if (scroll) s.scrollIntoView({ block: 'center' });
  }
  function closePops(except) {
    each('.nref[aria-expanded="true"]', function (b) {
      if (b === except) return;
      b.setAttribute('aria-expanded', 'false');
      var p = $(b.getAttribute('aria-controls'));
      if (p) p.hidden = true;
    });
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t.closest) return;
    var n = t.closest('.nref');
    if (n && !n.classList.contains('demo')) {
      var p = $(n.getAttribute('aria-controls'));
      var open = n.getAttribute('aria-expanded') !== 'true';
      closePops(n);
      n.setAttribute('aria-expanded', String(open));
      if (p) p.hidden = !open;
      return;
    }
    if (t.closest('.npop')) return;
    closePops(null);
    var s = t.closest('.s[data-seg]');
    if (s) { select(s, false); if (history.replaceState) history.replaceState(null, '', '#' + s.id); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') {
      var open = document.querySelector('.nref[aria-expanded="true"]');
      closePops(null);
      if (open) open.focus();
      return;
    }
    var s = ev.target.closest ? ev.target.closest('.s[data-seg]') : null;
    if (s && ev.target === s && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      // Enter on the chosen sentence takes the keyboard to the panel (its counterparts' links
      // and the citation), instead of through every sentence after it.
      var ph = s.classList.contains('cur') && ev.key === 'Enter' ? panel.querySelector('h2') : null;
      if (ph) { ph.focus(); return; }
      select(s, false);
      if (history.replaceState) history.replaceState(null, '', '#' + s.id);
    }
  });
  document.addEventListener('mouseover', function (ev) {
    var s = ev.target.closest ? ev.target.closest('.s[data-seg]') : null;
    each('.s.hover', function (e) { e.classList.remove('hover'); });
    if (s) sameSeg(s.getAttribute('data-seg')).forEach(function (e) { e.classList.add('hover'); });
  });
  // Show and hide witnesses: one style rule per hidden layer, and the grid's columns.
  var ed = $('edition');
  var cols0 = {};
  each('.colhead', function (h, i) {
    cols0[h.getAttribute('data-layer')] = ed.style.getPropertyValue('--gcols').trim().split(/ (?![^(]*\))/)[i];
  });
  function applyToggles() {
    var css = '', cols = [];
    each('input[data-toggle]', function (cb) {
      var l = cb.getAttribute('data-toggle');
      if (cb.checked) cols.push(cols0[l] || 'minmax(0,1fr)');
      else css += '[data-layer="' + l.replace(/["\\]/g, '') + '"]{display:none}';
    });
    $('hide').textContent = css;
    ed.style.setProperty('--gcols', cols.length ? cols.join(' ') : '1fr');
  }
  each('input[data-toggle]', function (cb) { cb.addEventListener('change', applyToggles); });
  // Search: every sentence of every layer, accents and case ignored; built on first use.
  var corpus = null, pending = null, built = 0;
  function fold(t) { return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  function textOf(e) {
    var t = '';
    for (var n = e.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) t += n.data;
      else if (n.nodeType === 1 && !n.classList.contains('npop') && !n.classList.contains('nref')) t += n.textContent;
    }
    return t;
  }
  // The search index is built in slices while the reader looks at the page, so that a long
  // work answers its first search at once; a search before it is done finishes it first.
  function indexSome(k) {
    if (!pending) { pending = document.querySelectorAll('.s[data-seg]'); corpus = []; }
    var end = Math.min(pending.length, built + k);
    for (; built < end; built++) {
      var e = pending[built], t = textOf(e);
      corpus.push([e.id, fold(t), t]);
    }
    return built >= pending.length;
  }
  function buildCorpus() { indexSome(Infinity); }
  function idleIndex() { if (!indexSome(2000)) setTimeout(idleIndex, 0); }
  setTimeout(idleIndex, 50);
  var q = $('q'), hits = $('hits'), status = $('q-status'), timer = null;
  function search() {
    var needle = fold(q.value.trim());
    hits.textContent = '';
    if (needle.length < 2) { status.textContent = ''; return; }
    buildCorpus();
    var n = 0, shown = 0;
    for (var i = 0; i < corpus.length; i++) {
      var k = corpus[i][1].indexOf(needle);
      if (k < 0) continue;
      n++;
      if (shown >= 50) continue;
      shown++;
      var li = el('li'), a = el('a');
      a.href = '#' + corpus[i][0];
      var lid = corpus[i][0].split('.')[0];
      a.appendChild(el('span', 'code', lid));
      var t = corpus[i][2], from = Math.max(0, k - 40);
      var span = el('span');
      var host = document.getElementById(corpus[i][0]).closest('[lang]') || document.documentElement;
      span.lang = host.lang;
      if (host.dir) span.dir = host.dir;
      span.appendChild(document.createTextNode((from ? '\u2026' : '') + t.slice(from, k)));
      span.appendChild(el('mark', '', t.slice(k, k + needle.length)));
      span.appendChild(document.createTextNode(t.slice(k + needle.length, k + needle.length + 80)));
      a.appendChild(span);
      li.appendChild(a);
      hits.appendChild(li);
    }
    status.textContent = n === 0 ? 'no match' : n + (n === 1 ? ' match' : ' matches') + (n > shown ? ', first ' + shown + ' shown' : '');
  }
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(search, 60); });
  q.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { clearTimeout(timer); search(); var f = hits.querySelector('a'); if (f) f.focus(); }
  });
  // Permalinks: #seg.12 (a segment) or #cs.s3 (a sentence) choose it.
  function fromHash() {
    if (location.hash.length < 2) return;
    var t = $(decodeURIComponent(location.hash.slice(1)));
    if (!t) return;
    if (t.classList.contains('anchor')) t = t.nextElementSibling;
    if (t && t.classList.contains('s')) { select(t, true); t.focus({ preventScroll: true }); }
  }
  window.addEventListener('hashchange', fromHash);
  // Print what the screen folds away (witness sources and gaps, coverage), also where the print
  // style's ::details-content is not understood; closed again after.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    each('#witnesses details:not([open]), #about details:not([open])', function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  fromHash();
})();
