// Progressive enhancement only: every page works without JavaScript.
import { initAll } from '/assets/govuk-frontend.min.js';
import { FilterToggleButton, initAll as initMoj } from '/assets/moj/all.bundle.mjs';

initAll();
initMoj();
// MoJ's initAll leaves out the filter: on a narrow screen its layout lays the filter over the
// page, and only this component hides it there behind a "Show filter" button (shown on a wide one).
for (const filter of document.querySelectorAll('[data-module="moj-filter"]'))
  new FilterToggleButton(filter, { startHidden: false });

// An import's page shows its progress as it goes, and its result when it ends.
const progress = document.querySelector('[data-gt-import-progress]');
if (progress) {
  const bar = progress.querySelector('progress');
  const text = progress.querySelector('[role="status"]');
  const poll = async () => {
    try {
      const res = await fetch(progress.dataset.gtImportProgress, {
        headers: { accept: 'application/json' },
      });
      if (res.ok) {
        const p = await res.json();
        if (p.status === 'done') {
          window.location.reload();
          return;
        }
        bar.value = p.done;
        text.textContent = `${p.done} of ${p.rows} rows processed: ${p.created} created, ${p.skipped} already imported.`;
      }
    } catch {
      // A restart or a dropped connection: try again on the next tick.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
