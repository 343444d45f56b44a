// The page's only script: area and severity filters over the findings list. Plain DOM, no
// library; embedded inline and allowed by its hash in the page's Content-Security-Policy.

export const FILTER_SCRIPT = `(() => {
  const items = Array.from(document.querySelectorAll('li.finding'));
  const areaButtons = Array.from(document.querySelectorAll('[data-filter-area]'));
  const severityBoxes = Array.from(document.querySelectorAll('[data-filter-severity]'));
  const shown = document.getElementById('shown-count');
  const noMatch = document.getElementById('no-match');
  let area = 'all';
  function apply() {
    const severities = new Set(severityBoxes.filter((b) => b.checked).map((b) => b.dataset.filterSeverity));
    let visible = 0;
    for (const item of items) {
      const show = (area === 'all' || item.dataset.area === area) && severities.has(item.dataset.severity);
      item.hidden = !show;
      if (show) visible++;
    }
    for (const b of areaButtons) b.setAttribute('aria-pressed', String(b.dataset.filterArea === area));
    if (shown) shown.textContent = 'Showing ' + visible + ' of ' + items.length;
    if (noMatch) noMatch.hidden = visible !== 0;
  }
  for (const b of areaButtons) b.addEventListener('click', () => { area = b.dataset.filterArea; apply(); });
  for (const b of severityBoxes) b.addEventListener('change', apply);
  for (const card of document.querySelectorAll('[data-area-card]')) {
    card.addEventListener('click', () => {
      const wanted = card.dataset.areaCard;
      area = areaButtons.some((b) => b.dataset.filterArea === wanted) ? wanted : 'all';
      apply();
      const target = document.getElementById('findings');
      if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  }
  apply();
})();`;
