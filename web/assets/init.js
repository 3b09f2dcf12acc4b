// Progressive enhancement only: every page works without JavaScript.
import { initAll } from '/assets/govuk-frontend.min.js';
import { FilterToggleButton, initAll as initMoj } from '/assets/moj/all.bundle.mjs';

initAll();
initMoj();
// MoJ's initAll leaves the filter out: on a small screen, with JavaScript, its
// layout lays the filter over the page, so there it waits behind "Show filter"
// (the toggle hides it by the screen's width; startHidden would hide it on a
// large screen too).
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton(filter, { startHidden: false });
}

// Long work's pages (an import, a policy move) show its progress as it goes,
// and reload to show the result when it ends. The endpoint answers
// { finished, done, text }.
const progress = document.querySelector('[data-gt-progress]');
if (progress) {
  const bar = progress.querySelector('progress');
  const text = progress.querySelector('[role="status"]');
  const poll = async () => {
    try {
      const res = await fetch(progress.dataset.gtProgress, {
        headers: { accept: 'application/json' },
      });
      if (res.ok) {
        const p = await res.json();
        if (p.finished) {
          window.location.reload();
          return;
        }
        bar.value = p.done;
        text.textContent = p.text;
      }
    } catch {
      // A restart or a dropped connection: try again on the next tick.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
