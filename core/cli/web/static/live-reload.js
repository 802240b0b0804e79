// @ts-check
/**
 * Pages of `duckdag serve` that list runs reload when a run starts or ends (server-sent events, no
 * polling), and a run's page in progress also when one of its assets starts or finishes
 * (`data-events` on the script names the events), unless the user is typing in a form.
 */
(() => {
  const script = document.currentScript;
  const events = (script?.getAttribute('data-events') ?? 'run').split(' ');
  // The feed's number when the page was made: any event numbered after it is news to the page.
  const since = Number(script?.getAttribute('data-since') ?? 0);
  const source = new EventSource('/events');
  /** Whether the next `statuses` event is the one sent on connecting: every status so far, numbered as the latest event. */
  let connecting = true;
  source.addEventListener('open', () => {
    connecting = true;
    document.documentElement.setAttribute('data-live', 'open');
  });
  /** @type {ReturnType<typeof setTimeout> | null} */
  let pending = null;
  const reload = () => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      const typing = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
      if (!typing) location.reload();
      pending = null;
    }, 300);
  };
  for (const name of new Set([...events, 'statuses'])) {
    source.addEventListener(name, (event) => {
      const news = Number(/** @type {MessageEvent} */ (event).lastEventId) > since;
      const onConnecting = name === 'statuses' && connecting;
      if (name === 'statuses') connecting = false;
      // On connecting, a page reloads only if something happened since it was made.
      if (news && (onConnecting || events.includes(name))) reload();
    });
  }
  addEventListener('pagehide', () => source.close());
})();
