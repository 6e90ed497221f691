// React hooks over the API client: one client per view, a request's loading/error/data state,
// and cursor pagination for the DataTables.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { createApiClient, type ApiClient, type List } from './client';

export function useApiClient(context: Pick<ExtensionContextValue, 'userContext' | 'environment'>): ApiClient {
  const { userContext, environment } = context;
  return useMemo(() => createApiClient({ userContext, environment }), [userContext, environment]);
}

export interface RequestState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  /** replace the data locally (e.g. with an action's answer) */
  setData: (data: T) => void;
}

/** Runs load() now and whenever a dependency changes; an older answer never overwrites a newer one. */
export function useRequest<T>(load: () => Promise<T>, deps: unknown[]): RequestState<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  useEffect(() => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    run().then(
      (data) => call === latest.current && setState({ data, loading: false }),
      (error: Error) => call === latest.current && setState({ error, loading: false }),
    );
  }, [run, nonce]);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => setNonce((n) => n + 1), []),
    setData: useCallback((data: T) => setState({ data, loading: false }), []),
  };
}

export interface PagedList<T> extends RequestState<List<T>> {
  page: number;
  hasMore: boolean;
  goToPage: (page: number) => void;
  items: T[];
}

/**
 * Cursor pagination: page n is fetched with the next_cursor of page n-1 (remembered, so going
 * back re-fetches the same page). Changing a dependency (a filter) starts again at page 1.
 */
export function usePagedList<T>(load: (cursor: string | null) => Promise<List<T>>, filters: unknown[]): PagedList<T> {
  const key = JSON.stringify(filters);
  const first = { key, page: 1, cursors: [null] as (string | null)[] };
  const [position, setPosition] = useState(first);
  // a filter change starts again at page 1 in the same render, so a stale cursor is never sent
  const current = position.key === key ? position : first;

  const cursor = current.cursors[current.page - 1] ?? null;
  const request = useRequest(() => load(cursor), [key, cursor, current.page]);
  const nextCursor = request.data?.next_cursor ?? null;

  const goToPage = useCallback(
    (page: number) =>
      setPosition((p) => {
        const at = p.key === key ? p : { key, page: 1, cursors: [null] as (string | null)[] };
        if (page < 1) return at;
        if (page <= at.cursors.length) return { ...at, page };
        // one page forward from the last page seen: remember the cursor that leads there
        if (page === at.cursors.length + 1 && page === at.page + 1 && nextCursor) {
          return { ...at, page, cursors: [...at.cursors, nextCursor] };
        }
        return at;
      }),
    [key, nextCursor],
  );

  return {
    ...request,
    page: current.page,
    hasMore: nextCursor !== null,
    goToPage,
    items: request.data?.data ?? [],
  };
}
