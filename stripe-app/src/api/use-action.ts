// One action an admin confirms (void, retry, link, create…): busy while it runs (a second press
// is ignored), its error kept for a banner, a toast either way, and afterwards what the view shows
// is re-read and the Dashboard's own data refreshed, so Stripe's pages around the app show the new
// state too.
import { useCallback, useRef, useState } from 'react';
import { showToast, useRefreshDashboardData } from '@stripe/ui-extension-sdk/utils';

export interface ActionOptions<T> {
  /** the toast after success, e.g. "ACME-0007 voided" */
  success: string | ((result: T) => string);
  /** the toast after success: success, or caution when the action ran but did not get what it asked */
  successType?: (result: T) => 'success' | 'caution';
  /** the toast after a failure, e.g. "Could not void ACME-0007"; the error's message is for the caller's banner */
  failure: string;
  /** what to re-read after success (the panel's detail, the list, the cards) */
  reload?: (() => void) | undefined | (undefined | (() => void))[];
}

export type ActionOutcome<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface Action {
  busy: boolean;
  error: Error | null;
  clearError: () => void;
  run: <T>(fn: () => Promise<T>, options: ActionOptions<T>) => Promise<ActionOutcome<T>>;
}

/** The Dashboard refuses toasts over 30 characters (Stripe's Toast docs): longer ones are cut with an ellipsis. */
export const toastText = (message: string) => (message.length <= 30 ? message : `${message.slice(0, 29)}…`);

const busyError = new Error('another action is still running');

// The host calls fail outside the Dashboard (tests, a page without the host); a toast or a
// refresh that cannot be shown must not turn a done action into a failed one.
function quietly(call: () => Promise<unknown>) {
  try {
    void call().catch(() => {});
  } catch {
    /* no host endpoint */
  }
}

export function useAction(): Action {
  const refreshDashboard = useRefreshDashboardData();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const running = useRef(false);

  const run = useCallback(
    async <T>(fn: () => Promise<T>, options: ActionOptions<T>): Promise<ActionOutcome<T>> => {
      if (running.current) return { ok: false, error: busyError };
      running.current = true;
      setBusy(true);
      setError(null);
      try {
        const value = await fn();
        const reloads = Array.isArray(options.reload) ? options.reload : [options.reload];
        for (const reload of reloads) reload?.();
        quietly(refreshDashboard);
        const message = typeof options.success === 'function' ? options.success(value) : options.success;
        const type = options.successType?.(value) ?? 'success';
        quietly(() => showToast(toastText(message), { type }));
        return { ok: true, value };
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        setError(e);
        // the toast only names what failed (30 characters at most); the caller's banner shows why
        quietly(() => showToast(toastText(options.failure), { type: 'caution' }));
        return { ok: false, error: e };
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [refreshDashboard],
  );

  return { busy, error, clearError: useCallback(() => setError(null), []), run };
}
