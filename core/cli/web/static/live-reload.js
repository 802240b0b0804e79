// @ts-check
/**
 * Pages of `duckdag serve` that list runs reload when a run starts or ends (server-sent events, no
 * polling), unless the user is typing in a form.
 */
(() => {
  const source = new EventSource('/events');
  source.addEventListener('open', () => document.documentElement.setAttribute('data-live', 'open'));
  /** @type {ReturnType<typeof setTimeout> | null} */
  let pending = null;
  source.addEventListener('run', () => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      const typing = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
      if (!typing) location.reload();
      pending = null;
    }, 300);
  });
  addEventListener('pagehide', () => source.close());
})();
