// One action an admin confirms (void, retry, link, create…): busy while it runs (a second press
// is ignored), its error kept for a banner, a toast either way, and afterwards what the view shows
// is re-read and the Dashboard's own data refreshed, so Stripe's pages around the app show the new
// state too.
import { useCallback, useRef, useState } from 'react';
import { showToast, useRefreshDashboardData } from '@stripe/ui-extension-sdk/utils';
import { ApiError } from './client';

export interface ActionOptions<T> {
  /** the toast after success, e.g. "ACME-0007 voided" */
  success: string | ((result: T) => string);
  /** the toast after a failure, followed by the error's message, e.g. "Could not void ACME-0007" */
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

const busyError = new Error('another action is still running');

/** The error's message with the backend's request id, for toasts and banners. */
export function actionErrorText(error: Error): string {
  if (error instanceof ApiError && error.requestId) return `${error.message} (request ${error.requestId})`;
  return error.message;
}

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
        quietly(() => showToast(message, { type: 'success' }));
        return { ok: true, value };
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        setError(e);
        quietly(() => showToast(`${options.failure}: ${actionErrorText(e)}`, { type: 'caution' }));
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
