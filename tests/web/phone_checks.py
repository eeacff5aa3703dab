"""What a page must do on a phone (390 × 844), measured in the browser.

* no horizontal scroll: ``document.documentElement.scrollWidth <= innerWidth``;
* every control, and every link that stands on its own, is at least 44 × 44 px (WCAG 2.5.5): a
  link inside a sentence (``display: inline``) is exempt, and a checkbox or radio counts through
  the label around it;
* no text squeezed to one character per line: no text element narrower than two characters
  while taller than three lines;
* tables read as cards: each data cell carries its column's name.
"""

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MIN_TARGET = 44

_MEASURE = """(minTarget) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    // A control shrunk to a pixel is hidden for screen readers only (a searchable select keeps its native
    // <select> that way): it is not what a finger touches.
    return r.width > 1 && r.height > 1 && st.visibility !== 'hidden' && st.display !== 'none';
  };
  const describe = (el, r) => {
    const classes = el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '';
    const text = (el.innerText || el.value || el.name || '').trim().replace(/\\s+/g, ' ').slice(0, 24);
    return `${el.tagName.toLowerCase()}${classes} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`;
  };
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el) || el.closest('.skip-link')) continue;
    let box = el;
    if (el.type === 'checkbox' || el.type === 'radio') {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    } else if (getComputedStyle(el).display === 'inline') {
      continue;  // a link inside running text: the sentence is the target
    }
    const r = box.getBoundingClientRect();
    if (r.height < minTarget - 0.5 || r.width < minTarget - 0.5) small.push(describe(el, r));
  }
  const squeezed = [];
  for (const el of document.querySelectorAll('main *')) {
    if (!visible(el) || el.children.length) continue;
    const text = (el.innerText || '').trim();
    if (text.length < 4) continue;
    const r = el.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (r.width < 2 * size && r.height > 3 * 1.7 * size) squeezed.push(describe(el, r));
  }
  const unlabelled = [];
  for (const table of document.querySelectorAll('main table.table')) {
    if (!visible(table) || !table.tHead) continue;
    if (!table.classList.contains('table-cards')) { unlabelled.push('table without cards'); continue; }
    for (const cell of table.querySelectorAll(':scope > tbody > tr > td')) {
      if (cell.colSpan === 1 && !cell.hasAttribute('data-label')) {
        unlabelled.push(describe(cell, cell.getBoundingClientRect()));
      }
    }
    if (table.tHead.getBoundingClientRect().height > 1) unlabelled.push('header row still shown');
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    small, squeezed, unlabelled,
  };
}"""


def phone_problems(page) -> list[str]:
    """What is wrong with the page shown in ``page`` (at phone size) — an empty list when nothing is."""
    found = page.evaluate(_MEASURE, MIN_TARGET)
    problems = []
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"scrolls sideways: {found['scrollWidth']} > {found['innerWidth']} px")
    problems += [f"touch target under {MIN_TARGET} px: {item}" for item in found["small"]]
    problems += [f"text one character per line: {item}" for item in found["squeezed"]]
    problems += [f"table not shown as cards: {item}" for item in found["unlabelled"]]
    return problems
