// Injected into a COPY of a report page by scripts/check-html-report (the published page has no
// script), which loads it in an iframe of the width to check. Measures what a reader sees and
// writes the result as JSON into a pre element of the parent page, id lapse-measure.
(function () {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const name = (el) => (el.textContent || '').trim().slice(0, 40);
  // No horizontal scrolling of the page body.
  if (document.documentElement.scrollWidth > vw + 1) problems.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  // No scrolling container that hides content sideways.
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1 && visible(el) && el.tagName !== 'svg')
      problems.push('container cuts content off sideways: <' + el.tagName.toLowerCase() + ' class="' + el.className + '"> (' + name(el).slice(0, 30) + ') ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  // Chart text: inside its SVG and the viewport, at least 9 px, no two labels intersecting.
  let texts = 0;
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!visible(svg)) continue;
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    const rects = [];
    for (const t of svg.querySelectorAll('text')) {
      if (!visible(t)) continue;
      texts++;
      const r = t.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < 9) problems.push('text smaller than 9 px (' + size.toFixed(1) + '): "' + name(t) + '"');
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        problems.push('text cut off by its chart: "' + name(t) + '"');
      if (r.left < -0.5 || r.right > vw + 0.5) problems.push('text outside the viewport: "' + name(t) + '"');
      // Glyph boxes include the font's line gap; shrink them a little so touching is not overlap.
      rects.push({ t, l: r.left + 0.5, r: r.right - 0.5, top: r.top + r.height * 0.18, b: r.bottom - r.height * 0.18 });
    }
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.l < b.r && b.l < a.r && a.top < b.b && b.top < a.b) problems.push('labels overlap: "' + name(a.t) + '" and "' + name(b.t) + '"');
    }
  }
  // The delay column is inside the viewport.
  let delays = 0;
  for (const td of document.querySelectorAll('td.delay')) {
    if (!visible(td)) continue;
    delays++;
    const r = td.getBoundingClientRect();
    if (r.left < -0.5 || r.right > vw + 0.5) problems.push('delay cell outside the viewport: "' + name(td) + '" ' + Math.round(r.left) + '–' + Math.round(r.right));
  }
  const host = window.parent !== window ? window.parent.document : document;
  const pre = host.createElement('pre');
  pre.id = 'lapse-measure';
  pre.textContent = JSON.stringify({ width: vw, texts, delays, problems });
  host.body.appendChild(pre);
})();
