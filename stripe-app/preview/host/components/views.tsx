// Stand-ins: view roots (ContextView, FocusView, SettingsView, pages) and charts.
import { useContext, useState } from 'react';
import { BarChartStandIn, LineChartStandIn, MeterChartStandIn, channelInfo, toSeries } from '../charts';
import { HostContext, own, pressEvent, type Props } from './shared';
import { Badge } from './layout';
import { DataTable } from './lists';

// ---------- view roots ----------

function ViewFooter({ primaryAction, secondaryAction, footerContent }: Props) {
  if (!primaryAction && !secondaryAction && !footerContent) return null;
  return (
    <footer className="view-footer">
      <div>{footerContent}</div>
      <div className="view-footer-actions">
        {secondaryAction}
        {primaryAction}
      </div>
    </footer>
  );
}

export function ContextView(p: Props) {
  const { children, title, description, actions, banner, externalLink, brandColor, primaryAction, secondaryAction, footerContent } = own(p);
  return (
    <section data-component="ContextView" className="context-view">
      <header className="view-header" style={brandColor ? { borderTop: `3px solid ${brandColor}` } : undefined}>
        <h1 className="view-title">{title}</h1>
        {description && <p className="view-description">{description}</p>}
        {externalLink && (
          <a className="link" href={externalLink.href} target="_blank" rel="noreferrer">
            {externalLink.label} ↗
          </a>
        )}
      </header>
      {actions && <div className="view-actions">{actions}</div>}
      {banner && <div className="view-banner">{banner}</div>}
      <div className="view-body">{children}</div>
      <ViewFooter primaryAction={primaryAction} secondaryAction={secondaryAction} footerContent={footerContent} />
    </section>
  );
}

export function FocusView(p: Props) {
  const { children, title, shown, setShown, primaryAction, secondaryAction, footerContent, confirmCloseMessages, size } = own(p);
  const [confirming, setConfirming] = useState(false);
  if (shown === false) return null;
  const close = () => {
    if (confirmCloseMessages && !confirming) setConfirming(true);
    else {
      setConfirming(false);
      setShown?.(false);
    }
  };
  return (
    <div className="focus-backdrop">
      <section data-component="FocusView" className={`focus-view focus-view-${size ?? 'large'}`} role="dialog" aria-modal aria-label={title}>
        <header className="view-header focus-header">
          <h1 className="view-title">{title}</h1>
          <button type="button" className="icon-button" aria-label="Close" onClick={close}>
            ×
          </button>
        </header>
        {confirming && confirmCloseMessages && (
          <div className="banner banner-caution" role="alertdialog">
            <div className="banner-body">
              <div className="banner-title">{confirmCloseMessages.title}</div>
              <div className="banner-description">{confirmCloseMessages.description}</div>
              <div className="banner-actions">
                <button type="button" className="btn btn-secondary btn-small" onClick={() => setConfirming(false)}>
                  {confirmCloseMessages.cancelAction}
                </button>
                <button type="button" className="btn btn-destructive btn-small" onClick={close}>
                  {confirmCloseMessages.exitAction}
                </button>
              </div>
            </div>
          </div>
        )}
        <div className="view-body">{children}</div>
        <ViewFooter primaryAction={primaryAction} secondaryAction={secondaryAction} footerContent={footerContent} />
      </section>
    </div>
  );
}

export function SettingsView(p: Props) {
  const { children, onSave, statusMessage } = own(p);
  return (
    <form
      data-component="SettingsView"
      className="settings-view"
      onSubmit={(e) => {
        e.preventDefault();
        // The Dashboard hands onSave every named field of the form as a string.
        const values: Record<string, string> = {};
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string') values[k] = v;
        onSave?.(values);
      }}
    >
      <div className="view-body">{children}</div>
      {onSave && (
        <footer className="settings-footer">
          {statusMessage && <span className="settings-status" role="status">{statusMessage}</span>}
          <button type="submit" className="btn btn-primary btn-medium">Save</button>
        </footer>
      )}
      {!onSave && statusMessage && <div className="settings-status" role="status">{statusMessage}</div>}
    </form>
  );
}

export function FullPageView(p: Props) {
  const { children, pageAction } = own(p);
  return (
    <section data-component="FullPageView" className="full-page-view">
      {pageAction && (
        <div className="page-action">
          <button type="button" className="btn btn-primary btn-medium" onClick={() => pageAction.onPress?.()}>
            {pageAction.label}
          </button>
        </div>
      )}
      {children}
    </section>
  );
}

export function OverviewPage(p: Props) {
  const { primaryColumn, secondaryColumn, pending } = own(p);
  return (
    <section data-component="OverviewPage" className="page-columns">
      {pending ? <span className="spinner" /> : null}
      <div className="page-primary">{primaryColumn}</div>
      {secondaryColumn && <aside className="page-secondary">{secondaryColumn}</aside>}
    </section>
  );
}

export function DetailPage(p: Props) {
  const { title, description, breadcrumbs = [], actions = [], primaryColumn, secondaryColumn, pending } = own(p);
  const host = useContext(HostContext);
  return (
    <section data-component="DetailPage" className="detail-page">
      <nav className="breadcrumbs">
        {breadcrumbs.map((b: Props, i: number) => (
          <a key={i} href="#" className="link" onClick={(e) => { e.preventDefault(); if (b.href) host.navigate(b.href); b.onPress?.(); }}>
            {b.label}
          </a>
        ))}
      </nav>
      <header className="detail-header">
        <div>
          <h1 className="page-title">{title}</h1>
          {description && <p className="muted">{description}</p>}
        </div>
        <div className="button-group button-group-row">
          {actions.map((a: Props, i: number) => (
            <button key={a.id ?? i} type="button" className={`btn btn-${a.type ?? 'secondary'} btn-medium`} onClick={() => a.onPress?.()}>
              {a.label}
            </button>
          ))}
        </div>
      </header>
      {pending ? <span className="spinner" /> : null}
      <div className="page-columns">
        <div className="page-primary">{primaryColumn}</div>
        {secondaryColumn && <aside className="page-secondary">{secondaryColumn}</aside>}
      </div>
    </section>
  );
}

function ModuleActions({ actions }: { actions?: Props[] }) {
  if (!actions?.length) return null;
  return (
    <span className="button-group button-group-row">
      {actions.map((a, i) => (
        <button key={a.id ?? i} type="button" className={`btn btn-${a.type === 'destructive' ? 'destructive' : 'secondary'} btn-small`} disabled={a.disabled} onClick={() => a.onPress?.()}>
          {a.label}
        </button>
      ))}
    </span>
  );
}

export function PageModule(p: Props) {
  const { children, title, subtitle, extraActions } = own(p);
  return (
    <section data-component="PageModule" className="page-module">
      <header className="module-header">
        <div>
          <h2 className="module-title">{title}</h2>
          {subtitle && <p className="muted">{subtitle}</p>}
        </div>
        <ModuleActions actions={extraActions} />
      </header>
      {children}
    </section>
  );
}

export function DetailPagePropertyList(p: Props) {
  const { items = [], pending, emptyMessage, error, extraActions } = own(p);
  return (
    <section data-component="DetailPagePropertyList" className="page-module">
      <ModuleActions actions={extraActions} />
      {error && <div className="banner banner-critical">{error.message ?? String(error)}</div>}
      {pending ? (
        <span className="spinner" />
      ) : items.length === 0 ? (
        <p className="muted">{typeof emptyMessage === 'string' ? emptyMessage : emptyMessage?.message ?? 'Nothing here yet'}</p>
      ) : (
        <dl className="property-list">
          {items.map((it: Props, i: number) => (
            <div className="property" key={it.id ?? i}>
              <dt>{it.label}</dt>
              <dd>{String(it.value ?? '—')}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function DetailPageTable(p: Props) {
  const { columns = [], items = [], pending, onItemPress, rowActions, emptyMessage, extraActions } = own(p);
  return (
    <section data-component="DetailPageTable" className="page-module">
      <ModuleActions actions={extraActions} />
      <DataTable columns={columns} items={items} loading={pending} onRowClick={onItemPress} rowActions={rowActions} emptyMessage={emptyMessage} />
    </section>
  );
}

export function ListPage(p: Props) {
  const { title, columns = [], data, emptyMessage, headerActions = [], pagination } = own(p);
  const items = Array.isArray(data) ? data : (data?.items ?? []);
  return (
    <section data-component="ListPage" className="full-page-view">
      <header className="detail-header">
        <h1 className="page-title">{title}</h1>
        <ModuleActions actions={headerActions} />
      </header>
      <DataTable columns={columns} items={items} emptyMessage={emptyMessage} pagination={pagination} />
    </section>
  );
}

export function OnboardingView(p: Props) {
  const { children, title, description, tasks = [], error, pending, completed } = own(p);
  return (
    <section data-component="OnboardingView" className="context-view">
      <header className="view-header">
        <h1 className="view-title">{title}</h1>
        {description && <p className="view-description">{description}</p>}
      </header>
      {error}
      {pending && <span className="spinner" />}
      <ol className="task-list">
        {tasks.map((t: Props) => (
          <li key={t.title} className="task">
            <button type="button" className="link-button" onClick={(e) => t.onPress?.(pressEvent(e))}>{t.title}</button>
          </li>
        ))}
      </ol>
      {completed && <Badge type="positive">Completed</Badge>}
      <div className="view-body">{children}</div>
    </section>
  );
}

export function SignInView(p: Props) {
  const { description, primaryAction, secondaryAction, footerContent, descriptionActionContents } = own(p);
  const action = (a: Props | undefined, primary: boolean) =>
    a && (a.href ? (
      <a className={`btn btn-${primary ? 'primary' : 'secondary'} btn-medium`} href={a.href} target="_blank" rel="noreferrer">{a.label}</a>
    ) : (
      <button type="button" className={`btn btn-${primary ? 'primary' : 'secondary'} btn-medium`} onClick={(e) => a.onPress?.(pressEvent(e))}>{a.label}</button>
    ));
  return (
    <section data-component="SignInView" className="context-view">
      <div className="view-body">
        {description && <p>{description}</p>}
        {descriptionActionContents}
        <div className="button-group button-group-row">
          {action(primaryAction, true)}
          {action(secondaryAction, false)}
        </div>
      </div>
      {footerContent && <footer className="view-footer">{footerContent}</footer>}
    </section>
  );
}

export function PlatformConfigurationView(p: Props) {
  const { children, onSubmit } = own(p);
  const [saved, setSaved] = useState(false);
  return (
    <form
      data-component="PlatformConfigurationView"
      className="settings-view"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit?.({ values: Object.fromEntries(new FormData(e.currentTarget)), successCallback: () => setSaved(true) });
      }}
    >
      <div className="view-body">{children}</div>
      <footer className="settings-footer">
        {saved && <span className="settings-status">Saved</span>}
        <button type="submit" className="btn btn-primary btn-medium">Save</button>
      </footer>
    </form>
  );
}

// ---------- charts ----------

export function BarChart(p: Props) {
  const next = p.schemaVersion === 'v9Next';
  const { data = [], x, y, color, z, tooltip } = own(p);
  return next ? (
    <BarChartStandIn kind="BarChart" series={toSeries(data, 'x', 'y', 'name')} tooltip />
  ) : (
    <BarChartStandIn kind="BarChart" series={toSeries(data, x, y, color ?? z)} x={channelInfo(x)} y={channelInfo(y)} tooltip={!!tooltip} />
  );
}

export function LineChart(p: Props) {
  const next = p.schemaVersion === 'v9Next';
  const { data = [], x, y, color, z } = own(p);
  const group = next ? (data[0] && 'compare' in data[0] ? 'compare' : 'name') : (color ?? z);
  return <LineChartStandIn kind="LineChart" series={next ? toSeries(data, 'x', 'y', group) : toSeries(data, x, y, group)} />;
}

export function Sparkline(p: Props) {
  const { data = [], x, y, color, z } = own(p);
  return <LineChartStandIn kind="Sparkline" small series={toSeries(data, x, y, color ?? z)} />;
}

export function SparkLineChart(p: Props) {
  const { data = [] } = own(p);
  return <LineChartStandIn kind="SparkLineChart" small series={toSeries(data, 'x', 'y', data[0] && 'compare' in data[0] ? 'compare' : 'name')} />;
}

export function MeterChart(p: Props) {
  return <MeterChartStandIn data={own(p).data ?? []} />;
}
