// The preview page: a small stand-in for the Stripe Dashboard that hosts the app's real views.
// Views render into a remote-ui root (as in the Dashboard's sandbox) and the page renders what
// they send with plain DOM stand-ins. Viewport, mode and object live in the URL, so a reload or a
// test can open any view directly: /?viewport=stripe.dashboard.invoice.detail&object=in_…&mode=test
import { Component as ReactComponent, useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createRemoteReceiver, createRemoteRoot, type RemoteReceiver } from '@remote-ui/core';
import { createRoot as createRemoteReactRoot } from '@remote-ui/react';
import { RemoteRenderer, createController } from '@remote-ui/react/host';
import { Banner } from '@stripe/ui-extension-sdk/ui';
import views from 'preview:views';
import { HostContext, standIns, unknownComponent } from './components';
import { createHostCalls, fetchSignature, installHostCalls, type Toast } from './host-calls';
import type { PreviewConfig, PreviewView } from './types';

type Mode = 'test' | 'live';
interface HostState {
  viewport: string;
  mode: Mode;
  object: string;
}

const FULL_PAGE = 'stripe.dashboard.fullpage';
const DRAWER = 'stripe.dashboard.drawer.default';
const INVOICE = 'stripe.dashboard.invoice.detail';
const CUSTOMER = 'stripe.dashboard.customer.detail';
const SETTINGS = 'settings';

const PRIMARY_VIEWPORTS: [string, string][] = [
  [FULL_PAGE, 'Full page'],
  [DRAWER, 'Drawer'],
  [INVOICE, 'Invoice detail'],
  [CUSTOMER, 'Customer detail'],
  [SETTINGS, 'Settings'],
];

const objectKind = (viewport: string) =>
  viewport === INVOICE ? 'invoice' : viewport === CUSTOMER ? 'customer' : /\.(\w+)\.detail$/.exec(viewport)?.[1];

function readState(config: PreviewConfig): HostState {
  const q = new URLSearchParams(location.search);
  const first = config.views.find((v) => v.viewport === FULL_PAGE) ?? config.views[0];
  return {
    viewport: q.get('viewport') ?? first?.viewport ?? FULL_PAGE,
    mode: q.get('mode') === 'live' ? 'live' : 'test',
    object: q.get('object') ?? '',
  };
}

function writeState(s: HostState) {
  const q = new URLSearchParams({ viewport: s.viewport, mode: s.mode });
  if (s.object && objectKind(s.viewport)) q.set('object', s.object);
  history.pushState(null, '', `?${q}`);
}

// ---------- remote side: render a view into a remote-ui root ----------

/** Catches a view's render error on the view's side and shows it, as the Dashboard does. */
class ViewErrorBoundary extends ReactComponent<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error) {
      return <Banner type="critical" title="The view crashed" description={String(this.state.error.stack ?? this.state.error)} />;
    }
    return this.props.children;
  }
}

const unknownCache = new Map<string, ComponentType<any>>();
const baseController = createController(standIns as Record<string, ComponentType<any>>, {
  // React only accepts plain text inside <option>: hand it the string itself.
  renderText: ({ parent, text }, { renderDefault }) =>
    'type' in parent && parent.type === 'option' ? (text as { text: string }).text : renderDefault(),
});
const controller: typeof baseController = {
  ...baseController,
  get(type: string) {
    const known = (standIns as Record<string, ComponentType<any>>)[type];
    if (known) return known;
    if (!unknownCache.has(type)) unknownCache.set(type, unknownComponent(type));
    return unknownCache.get(type)!;
  },
} as typeof baseController;

function ViewHost({ View, context }: { View: ComponentType<any>; context: Record<string, unknown> }) {
  const [receiver] = useState<RemoteReceiver>(() => createRemoteReceiver());
  useEffect(() => {
    const root = createRemoteRoot(receiver.receive);
    const reactRoot = createRemoteReactRoot(root);
    reactRoot.render(
      <ViewErrorBoundary>
        <View {...context} />
      </ViewErrorBoundary>,
    );
    root.mount();
    return () => reactRoot.unmount();
    // The host remounts ViewHost (key) whenever the context changes, like the Dashboard reloads a view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return <RemoteRenderer receiver={receiver} controller={controller} />;
}

// ---------- host page ----------

interface Choice {
  id: string;
  label: string;
}

async function backendGet<T>(config: PreviewConfig, mode: Mode, path: string): Promise<T> {
  const signature = await fetchSignature({ userId: config.userId, accountId: config.accountId });
  const res = await fetch(`${config.backendUrl}/api${path}`, {
    headers: {
      'stripe-signature': signature,
      'stripe-user-id': config.userId,
      'stripe-account-id': config.accountId,
      'stripe-mode': mode,
    },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** Stripe invoices and customers of the account, for the detail viewports' object pickers. */
function useObjectChoices(config: PreviewConfig, mode: Mode, refresh: number) {
  const [choices, setChoices] = useState<{ invoice: Choice[]; customer: Choice[] }>({ invoice: [], customer: [] });
  useEffect(() => {
    let live = true;
    (async () => {
      type Inv = { external_id: string; number: string | null; status: string; tenant: { name: string } | null };
      type Ten = { name: string; links: { gateway: string; external_id: string }[] };
      const [inv, ten] = await Promise.all([
        backendGet<{ data: Inv[] }>(config, mode, '/invoices?gateway=stripe&limit=100').catch(() => ({ data: [] as Inv[] })),
        backendGet<{ data: Ten[] }>(config, mode, '/tenants?limit=100').catch(() => ({ data: [] as Ten[] })),
      ]);
      if (!live) return;
      setChoices({
        invoice: inv.data.map((i) => ({ id: i.external_id, label: `${i.number ?? i.external_id} · ${i.status}${i.tenant ? ` · ${i.tenant.name}` : ''}` })),
        customer: ten.data.flatMap((t) =>
          t.links.filter((l) => l.gateway === 'stripe').map((l) => ({ id: l.external_id, label: `${l.external_id} · ${t.name}` })),
        ),
      });
    })();
    return () => {
      live = false;
    };
  }, [config, mode, refresh]);
  return choices;
}

function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} data-testid="toast" className={`toast toast-${t.options.type ?? 'default'}`} role="status">
          <span>{t.message}</span>
          {t.options.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                t.options.onAction?.();
                dismiss(t.id);
              }}
            >
              {t.options.action}
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function HostLog({ entries }: { entries: { at: string; call: string; detail: string }[] }) {
  return (
    <details className="host-log">
      <summary>Host calls ({entries.length})</summary>
      <ol>
        {entries.slice(-50).map((e, i) => (
          <li key={i} data-call={e.call}>
            <span className="muted">{e.at}</span> <b>{e.call}</b> <code>{e.detail}</code>
          </li>
        ))}
      </ol>
    </details>
  );
}

function MockDashboardPage({ viewport, object }: { viewport: string; object: string }) {
  const kind = objectKind(viewport);
  const title = kind ? `${kind[0].toUpperCase()}${kind.slice(1)} ${object || '(choose one above)'}` : viewport === DRAWER ? 'Home' : viewport;
  return (
    <div className="mock-page" aria-hidden>
      <div className="mock-title">{title}</div>
      <div className="mock-line" style={{ width: '60%' }} />
      <div className="mock-line" style={{ width: '80%' }} />
      <div className="mock-line" style={{ width: '40%' }} />
      <p className="muted">Stripe's own page would be here; the app's view is in the drawer on the right.</p>
    </div>
  );
}

function App({ config }: { config: PreviewConfig }) {
  const [state, setState] = useState<HostState>(() => readState(config));
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [log, setLog] = useState<{ at: string; call: string; detail: string }[]>([]);
  const [generation, setGeneration] = useState(0);
  // refreshDashboardData refreshes the Dashboard's own data around the app (here: the object
  // pickers), never the app's view: the Dashboard keeps the app's frame and its state.
  const [dashboardData, setDashboardData] = useState(0);
  const choices = useObjectChoices(config, state.mode, generation + dashboardData);
  const byViewport = useMemo(() => new Map(config.views.map((v) => [v.viewport, v])), [config]);

  const go = useCallback((next: Partial<HostState>) => {
    setState((s) => {
      const merged = { ...s, ...next };
      writeState(merged);
      return merged;
    });
  }, []);

  useEffect(() => {
    const onPop = () => setState(readState(config));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, [config]);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);

  const navigate = useCallback(
    (route: Record<string, unknown>) => {
      const params = (route.params ?? {}) as Record<string, string>;
      if (route.name === 'invoiceDetails' && byViewport.has(INVOICE)) return go({ viewport: INVOICE, object: params.invoiceId });
      if (route.name === 'customerDetails' && byViewport.has(CUSTOMER)) return go({ viewport: CUSTOMER, object: params.customerId });
      if ((route.name === 'fullPage' || route.name === 'fullPageGlob') && byViewport.has(FULL_PAGE)) return go({ viewport: FULL_PAGE });
      const id = Date.now();
      setToasts((list) => [...list, { id, message: `Would open the Dashboard page "${String(route.name)}" (not part of the preview)`, options: {} }]);
      setTimeout(() => dismiss(id), 5000);
    },
    [byViewport, go, dismiss],
  );

  // Installed during the first render, before any view's effect can call the host.
  const handlers = useRef({ navigate, dismiss });
  handlers.current = { navigate, dismiss };
  useState(() =>
    installHostCalls(
      createHostCalls(config, {
        toast: (t) => {
          setToasts((list) => [...list.slice(-4), t]);
          if (!t.options.action) setTimeout(() => handlers.current.dismiss(t.id), 6000);
        },
        updateToast: (t) => setToasts((list) => list.map((x) => (x.id === t.id ? t : x))),
        dismissToast: (id) => handlers.current.dismiss(id),
        navigate: (route) => handlers.current.navigate(route),
        refresh: () => setDashboardData((g) => g + 1),
        log: (call, detail) =>
          setLog((l) => [...l.slice(-199), { at: new Date().toLocaleTimeString(), call, detail: JSON.stringify(detail) ?? '' }]),
      }),
    ),
  );

  // A detail viewport needs an object: default to the first one the backend knows.
  const kind = objectKind(state.viewport);
  const options = useMemo(
    () => (kind === 'invoice' ? choices.invoice : kind === 'customer' ? choices.customer : []),
    [kind, choices],
  );
  useEffect(() => {
    if (kind && !state.object && options.length > 0) go({ object: options[0].id });
  }, [kind, state.object, options, go]);

  const view: PreviewView | undefined = byViewport.get(state.viewport);
  const View = view ? views[view.component] : undefined;
  const context = useMemo(
    () => ({
      userContext: {
        id: config.userId,
        name: 'Preview Admin',
        email: 'admin@preview.invalid',
        account: { id: config.accountId, name: 'Preview Platform', country: 'US', isSandbox: false },
        locale: navigator.language || 'en-US',
        roles: [{ type: 'builtIn', name: 'Administrator', id: 'admin' }],
      },
      environment: {
        mode: state.mode,
        viewportID: state.viewport,
        objectContext: kind ? { id: state.object, object: kind } : undefined,
        constants: { ...config.app.constants, BACKEND_URL: config.backendUrl },
        queryParams: {},
      },
      appContext: {
        authorizedPermissions: config.app.permissions,
        authorizedContentSecurityPolicy: { connectSrc: config.app.connectSrc, imageSrc: [] },
      },
    }),
    [config, state.mode, state.viewport, state.object, kind],
  );

  const otherViews = config.views.filter((v) => !PRIMARY_VIEWPORTS.some(([id]) => id === v.viewport));
  const layout = state.viewport === FULL_PAGE ? 'full' : state.viewport === SETTINGS ? 'settings' : 'drawer';
  // refreshDashboardData refreshes Stripe's own page around the app (here: the object choices),
  // not the app's view: the view keeps its state and must re-read its data itself.
  const viewKey = `${state.viewport}|${state.mode}|${state.object}`;
  const rendered =
    View && (!kind || state.object) ? (
      <ViewHost key={viewKey} View={View} context={context} />
    ) : (
      <p className="muted">{View ? `Choose a ${kind} above.` : `The manifest has no view for ${state.viewport}.`}</p>
    );

  return (
    <HostContext.Provider value={{ navigate, locale: context.userContext.locale }}>
      <header className="host-bar" data-testid="host-bar">
        <span className="host-brand">
          <b>{config.app.name}</b> <span className="muted">preview · {config.accountId}</span>
        </span>
        <nav className="host-viewports" aria-label="Viewport">
          {PRIMARY_VIEWPORTS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              className={`host-tab${state.viewport === id ? ' active' : ''}`}
              aria-pressed={state.viewport === id}
              disabled={!byViewport.has(id)}
              title={byViewport.has(id) ? `${id} → ${byViewport.get(id)!.component}` : `no view for ${id} in the manifest`}
              onClick={() => go({ viewport: id, object: id === state.viewport ? state.object : '' })}
            >
              {label}
            </button>
          ))}
          {otherViews.length > 0 && (
            <select aria-label="Other viewports" value={otherViews.some((v) => v.viewport === state.viewport) ? state.viewport : ''} onChange={(e) => e.target.value && go({ viewport: e.target.value, object: '' })}>
              <option value="">Other…</option>
              {otherViews.map((v) => (
                <option key={v.viewport} value={v.viewport}>{v.viewport}</option>
              ))}
            </select>
          )}
        </nav>
        {kind && (
          <label className="host-object">
            {kind}
            <input
              list="host-object-choices"
              aria-label={`${kind} id`}
              value={state.object}
              placeholder={kind === 'invoice' ? 'in_…' : 'cus_…'}
              onChange={(e) => go({ object: e.target.value.trim() })}
            />
            <datalist id="host-object-choices">
              {options.map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))}
            </datalist>
          </label>
        )}
        <span className="host-mode" role="group" aria-label="Mode">
          {(['test', 'live'] as const).map((m) => (
            <button key={m} type="button" className={`host-tab${state.mode === m ? ' active' : ''}`} aria-pressed={state.mode === m} onClick={() => go({ mode: m })}>
              {m === 'test' ? 'Test mode' : 'Live mode'}
            </button>
          ))}
        </span>
        <button type="button" className="host-tab" onClick={() => setGeneration((g) => g + 1)} title="Reload the view">
          ↻
        </button>
        <HostLog entries={log} />
      </header>
      {state.mode === 'test' && <div className="test-mode-strip">Test mode</div>}
      <main className={`dashboard layout-${layout}`} data-viewport={state.viewport} data-mode={state.mode}>
        {layout === 'full' && (
          <div className="full-page-frame">
            <div className="app-page-title">{config.app.name}</div>
            {rendered}
          </div>
        )}
        {layout === 'settings' && (
          <div className="settings-frame">
            <div className="app-page-title">{config.app.name} settings</div>
            <div className="settings-card">{rendered}</div>
          </div>
        )}
        {layout === 'drawer' && (
          <>
            <MockDashboardPage viewport={state.viewport} object={state.object} />
            <aside className="drawer" aria-label={`${config.app.name} drawer`}>
              <div className="drawer-app-name">{config.app.name}</div>
              {rendered}
            </aside>
          </>
        )}
      </main>
      <Toasts toasts={toasts} dismiss={dismiss} />
    </HostContext.Provider>
  );
}

async function start() {
  const config = (await (await fetch('/__preview/config')).json()) as PreviewConfig;
  document.title = `${config.app.name} · preview`;
  // No StrictMode: it would mount each view twice into the same remote receiver.
  createRoot(document.getElementById('root')!).render(<App config={config} />);
}

start().catch((err) => {
  document.body.textContent = `The preview could not start: ${err}`;
});
