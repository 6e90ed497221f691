// Plain DOM stand-ins for the SDK's remote-ui components, keyed by the names the SDK registers
// (`createRemoteReactComponent(name)` in @stripe/ui-extension-sdk/ui, ui/next, ui/experimental).
// Hand-written because the Dashboard's own implementations are not published. Every stand-in
// marks its root with data-component="<Name>" so tests and readers can find it; a name without a
// stand-in renders its children inside a labelled dashed box, so nothing silently disappears.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import { BarChartStandIn, LineChartStandIn, MeterChartStandIn, channelInfo, toSeries } from './charts';
import { COLOR, tokensToStyle } from './css-tokens';

/** What the stand-ins need from the host page. */
export interface HostServices {
  navigate(route: unknown): void;
  locale: string;
}
export const HostContext = createContext<HostServices>({ navigate: () => {}, locale: 'en-US' });

type Props = Record<string, any>;

/** Props the SDK adds to every component; they are not part of the component's API. */
function own(props: Props): Props {
  const { wrappedComponentName: _w, sdkVersion: _s, schemaVersion: _v, ...rest } = props;
  return rest;
}

/** What a view receives as a PressEvent: plain data, as the real host's RPC would send. */
function pressEvent(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }) {
  return { type: 'press', pointerType: 'mouse', altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, target: {} };
}

/** What a view receives as a change event: the fields views read, as plain data. */
function changeEvent(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) {
  const target = {
    value: el.value,
    name: el.name,
    checked: (el as HTMLInputElement).checked ?? false,
    type: (el as HTMLInputElement).type,
    selectedOptions: el instanceof HTMLSelectElement ? [...el.selectedOptions].map((o) => ({ value: o.value })) : undefined,
  };
  return { type: 'change', target, currentTarget: target, preventDefault() {}, stopPropagation() {} };
}

/**
 * A form field's displayed value: follows `value` when the view controls it, else local state.
 * Keeping a local copy stops React from resetting what was typed while the view's update is in flight.
 */
function useFieldValue<T>(value: T | undefined, defaultValue: T | undefined, empty: T) {
  const [local, setLocal] = useState<T>(value ?? defaultValue ?? empty);
  useEffect(() => {
    if (value !== undefined) setLocal(value);
  }, [value]);
  return [local, setLocal] as const;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

function Field(props: {
  kind: string;
  /** id of the control, so the label names it (wrapping would add the control's value to its name) */
  id: string;
  label?: ReactNode;
  description?: ReactNode;
  error?: ReactNode;
  hidden?: string[];
  inline?: boolean;
  children: ReactNode;
}) {
  const hidden = new Set(props.hidden ?? []);
  const label = props.label !== undefined && props.label !== null && (
    <label htmlFor={props.id} className={`field-label${hidden.has('label') ? ' visually-hidden' : ''}`}>
      {props.label}
    </label>
  );
  return (
    <div data-component={props.kind} className={`field${props.inline ? ' field-inline' : ''}${props.error ? ' field-invalid' : ''}`}>
      <div className="field-control">
        {props.inline ? (
          <>
            {props.children}
            {label}
          </>
        ) : (
          <>
            {label}
            {props.children}
          </>
        )}
      </div>
      {props.description && !hidden.has('description') && <div className="field-description">{props.description}</div>}
      {props.error && !hidden.has('error') && typeof props.error !== 'boolean' && <div className="field-error">{props.error}</div>}
    </div>
  );
}

// ---------- layout ----------

function Box(p: Props) {
  const { css, children } = own(p);
  return (
    <div data-component="Box" style={tokensToStyle(css)}>
      {children}
    </div>
  );
}

function Inline(p: Props) {
  const { css, children } = own(p);
  return (
    <span data-component="Inline" style={tokensToStyle(css, true)}>
      {children}
    </span>
  );
}

function Divider() {
  return <hr data-component="Divider" className="divider" />;
}

function Img(p: Props) {
  const { src, alt, width, height, srcSet, sizes } = own(p);
  return <img data-component="Img" src={src} alt={alt ?? ''} width={width} height={height} srcSet={srcSet} sizes={sizes} />;
}

// ---------- actions ----------

function useRouteLink(href: unknown, external?: boolean) {
  const host = useContext(HostContext);
  if (href === undefined || href === null) return {};
  if (typeof href === 'string') {
    return { href, target: '_blank', rel: 'noreferrer', onNavigate: undefined as undefined | (() => void), external: external ?? true };
  }
  return { href: '#', onNavigate: () => host.navigate(href) };
}

function Button(p: Props) {
  const { children, onPress, disabled, pending, type = 'secondary', size = 'medium', href, css } = own(p);
  const link = useRouteLink(href);
  const className = `btn btn-${type} btn-${size}${pending ? ' btn-pending' : ''}`;
  const style: CSSProperties = css?.width === 'fill' ? { width: '100%' } : {};
  const inner = (
    <>
      {pending && <span className="spinner spinner-small" aria-hidden />}
      {children}
    </>
  );
  if (link.href && !disabled) {
    return (
      <a
        data-component="Button"
        className={className}
        style={style}
        href={link.href}
        target={link.target}
        rel={link.rel}
        onClick={(e) => {
          if (link.onNavigate) {
            e.preventDefault();
            link.onNavigate();
          }
          onPress?.(pressEvent(e));
        }}
      >
        {inner}
      </a>
    );
  }
  return (
    <button
      data-component="Button"
      type="button"
      className={className}
      style={style}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      onClick={(e) => {
        e.stopPropagation();
        onPress?.(pressEvent(e));
      }}
    >
      {inner}
    </button>
  );
}

function Link(p: Props) {
  const { children, onPress, disabled, href, external, css } = own(p);
  const link = useRouteLink(href, external);
  const style: CSSProperties = { ...(css?.fontWeight ? tokensToStyle({ fontWeight: css.fontWeight }) : {}) };
  if (disabled) return <span data-component="Link" className="link link-disabled">{children}</span>;
  return (
    <a
      data-component="Link"
      className="link"
      style={style}
      href={link.href ?? '#'}
      target={link.target}
      rel={link.rel}
      onClick={(e) => {
        e.stopPropagation();
        if (!link.href || link.onNavigate) e.preventDefault();
        link.onNavigate?.();
        onPress?.(pressEvent(e));
      }}
    >
      {children}
      {link.external && <span aria-hidden className="link-external"> ↗</span>}
    </a>
  );
}

function ButtonGroup(p: Props) {
  const { children, direction = 'row', menuTrigger } = own(p);
  return (
    <div data-component="ButtonGroup" className={`button-group button-group-${direction}`}>
      {children}
      {menuTrigger}
    </div>
  );
}

// ---------- menus and overlays ----------

const MenuContext = createContext<{ onAction?: (key: string) => void; close: () => void } | null>(null);

function usePopover() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return { open, setOpen, ref };
}

function Menu(p: Props) {
  const { children, trigger, onAction } = own(p);
  const { open, setOpen, ref } = usePopover();
  return (
    <span data-component="Menu" className="menu" ref={ref}>
      <span className="menu-trigger" onClickCapture={() => setOpen((o) => !o)}>
        {trigger ?? <button type="button" className="btn btn-secondary btn-small" aria-label="More">…</button>}
      </span>
      {open && (
        <MenuContext.Provider value={{ onAction, close: () => setOpen(false) }}>
          <div className="popover menu-list" role="menu">
            {children}
          </div>
        </MenuContext.Provider>
      )}
    </span>
  );
}

function MenuItem(p: Props) {
  const { children, disabled, id, onAction } = own(p);
  const menu = useContext(MenuContext);
  return (
    <button
      data-component="MenuItem"
      type="button"
      role="menuitem"
      className="menu-item"
      disabled={disabled}
      onClick={() => {
        onAction?.(id);
        menu?.onAction?.(id);
        menu?.close();
      }}
    >
      {children}
    </button>
  );
}

function MenuGroup(p: Props) {
  const { children, title } = own(p);
  return (
    <div data-component="MenuGroup" className="menu-group" role="group">
      {title && <div className="menu-group-title">{title}</div>}
      {children}
    </div>
  );
}

function Tooltip(p: Props) {
  const { children, trigger } = own(p);
  return (
    <span data-component="Tooltip" className="tooltip">
      <span className="tooltip-trigger" tabIndex={0}>{trigger}</span>
      <span className="tooltip-body" role="tooltip">{children}</span>
    </span>
  );
}

// ---------- status and feedback ----------

function Badge(p: Props) {
  const { children, type = 'neutral' } = own(p);
  return (
    <span data-component="Badge" data-type={type} className={`badge badge-${type}`}>
      {children}
    </span>
  );
}

function Banner(p: Props) {
  const { title, description, actions, onDismiss, type = 'default' } = own(p);
  return (
    <div data-component="Banner" data-type={type} className={`banner banner-${type}`} role={type === 'critical' ? 'alert' : 'status'}>
      <div className="banner-body">
        {title && <div className="banner-title">{title}</div>}
        {description && <div className="banner-description">{description}</div>}
        {actions && <div className="banner-actions">{actions}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => onDismiss()}>
          ×
        </button>
      )}
    </div>
  );
}

function Spinner(p: Props) {
  const { size = 'medium' } = own(p);
  return <span data-component="Spinner" className={`spinner spinner-${size}`} role="progressbar" aria-label="Loading" />;
}

const ICON_GLYPHS: Record<string, string> = {
  add: '+', addCircle: '⊕', arrowDown: '↓', arrowUp: '↑', arrowLeft: '←', arrowRight: '→', arrowUpRight: '↗',
  calendar: '▦', cancel: '×', cancelCircle: '⊗', check: '✓', checkCircle: '✓', checkCircleFilled: '✓', checkmark: '✓',
  chevronDown: '⌄', chevronUp: '⌃', chevronLeft: '‹', chevronRight: '›', clock: '◷', cross: '×', delete: '⌫',
  download: '⤓', edit: '✎', email: '✉', external: '↗', filter: '⏷', help: '?', info: 'ℹ', invoice: '🧾', link: '🔗',
  lock: '🔒', more: '⋯', overflow: '⋯', refresh: '↻', refund: '↺', search: '⌕', send: '➤', settings: '⚙', trash: '🗑',
  warning: '⚠', warningCircle: '⚠', negativeCircle: '⊖', customer: '👤', customers: '👥', person: '👤', payment: '💳',
  card: '💳', sync: '⟳', arrowsLoop: '⟳', history: '◷', webhook: '⚡', star: '★', flag: '⚑', copy: '⧉', clipboard: '⧉',
};

function Icon(p: Props) {
  const { name, css, size = 'small' } = own(p);
  return (
    <span
      data-component="Icon"
      data-name={name}
      className={`icon icon-${size}`}
      style={{ color: css?.fill ? COLOR[css.fill] : undefined }}
      title={name}
      aria-hidden
    >
      {ICON_GLYPHS[name] ?? '•'}
    </span>
  );
}

function Chip(p: Props) {
  const { label, value, onClose, onDropdown, onAddSuggestion } = own(p);
  const shown = Array.isArray(value) ? value.join(', ') : value;
  return (
    <span data-component="Chip" className="chip">
      {onAddSuggestion && (
        <button type="button" className="icon-button" aria-label={`Add ${label ?? ''}`} onClick={() => onAddSuggestion()}>
          +
        </button>
      )}
      <button type="button" className="chip-body" onClick={() => onDropdown?.()} disabled={!onDropdown}>
        {label && <span className="chip-label">{label}</span>}
        {shown && <span className="chip-value">{shown}</span>}
      </button>
      {onClose && (
        <button type="button" className="icon-button" aria-label={`Remove ${label ?? ''}`} onClick={() => onClose()}>
          ×
        </button>
      )}
    </span>
  );
}

function ChipList(p: Props) {
  const { children, direction = 'row' } = own(p);
  return (
    <div data-component="ChipList" className="chip-list" style={{ flexDirection: direction }}>
      {children}
    </div>
  );
}

// ---------- lists ----------

const ListContext = createContext<((id: string) => void) | undefined>(undefined);

function List(p: Props) {
  const { children, onAction } = own(p);
  return (
    <ListContext.Provider value={onAction}>
      <ul data-component="List" className="list">
        {children}
      </ul>
    </ListContext.Provider>
  );
}

function ListItem(p: Props) {
  const { id, title, secondaryTitle, value, icon, image } = own(p);
  const onAction = useContext(ListContext);
  const body = (
    <>
      {(icon || image) && <span className="list-item-media">{icon ?? image}</span>}
      <span className="list-item-text">
        <span className="list-item-title">{title}</span>
        {secondaryTitle && <span className="list-item-secondary">{secondaryTitle}</span>}
      </span>
      {value !== undefined && <span className="list-item-value">{value}</span>}
    </>
  );
  return (
    <li data-component="ListItem" className="list-item" data-id={id}>
      {onAction ? (
        <button type="button" className="list-item-button" onClick={() => onAction(id)}>
          {body}
        </button>
      ) : (
        body
      )}
    </li>
  );
}

function PropertyList(p: Props) {
  const { children, orientation = 'vertical' } = own(p);
  return (
    <dl data-component="PropertyList" className={`property-list property-list-${orientation}`}>
      {children}
    </dl>
  );
}

function PropertyListItem(p: Props) {
  const { label, value } = own(p);
  return (
    <div data-component="PropertyListItem" className="property">
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  );
}

function Accordion(p: Props) {
  return (
    <div data-component="Accordion" className="accordion">
      {own(p).children}
    </div>
  );
}

function AccordionItem(p: Props) {
  const { children, title, subtitle, actions, media, defaultOpen, onChange } = own(p);
  return (
    <details
      data-component="AccordionItem"
      className="accordion-item"
      open={defaultOpen}
      onToggle={(e) => onChange?.((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>
        {media}
        <span className="accordion-title">
          {title}
          {subtitle && <span className="accordion-subtitle">{subtitle}</span>}
        </span>
        {actions && <span onClick={(e) => e.preventDefault()}>{actions}</span>}
      </summary>
      <div className="accordion-body">{children}</div>
    </details>
  );
}

function TaskList(p: Props) {
  return (
    <ol data-component="TaskList" className="task-list">
      {own(p).children}
    </ol>
  );
}

function TaskListItem(p: Props) {
  const { title, onPress, subTasks, status } = own(p);
  return (
    <li data-component="TaskListItem" className={`task ${status ? `task-${status}` : ''}`}>
      <button type="button" className="link-button" onClick={(e) => onPress?.(pressEvent(e))}>
        {title}
      </button>
      {subTasks?.length > 0 && (
        <ul>
          {subTasks.map((t: { title: string; onPress?: (e: unknown) => void }) => (
            <li key={t.title}>
              <button type="button" className="link-button" onClick={(e) => t.onPress?.(pressEvent(e))}>
                {t.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

// ---------- tables ----------

const tablePart = (Tag: 'table' | 'thead' | 'tbody' | 'tfoot' | 'tr', kind: string) =>
  function TablePart(p: Props) {
    const content = <Tag data-component={kind}>{own(p).children}</Tag>;
    return Tag === 'table' ? <div className="table-wrap">{content}</div> : content;
  };

function TableCell(p: Props) {
  const { children, colSpan, rowSpan, wrap } = own(p);
  return (
    <td data-component="TableCell" colSpan={colSpan} rowSpan={rowSpan} style={wrap ? { whiteSpace: 'normal' } : undefined}>
      {children}
    </td>
  );
}

function TableHeaderCell(p: Props) {
  const { children, colSpan, rowSpan } = own(p);
  return (
    <th data-component="TableHeaderCell" colSpan={colSpan} rowSpan={rowSpan}>
      {children}
    </th>
  );
}

function formatMinor(amount: number, currency: string, locale: string) {
  try {
    const code = currency.toUpperCase();
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale, { style: 'currency', currency: code }).format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency}`;
  }
}

function toDate(v: unknown): Date | null {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v);
  if (typeof v === 'string' && v) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Intl options for the SDK's date styles ("medium-year?-month-day-time", …). */
function dateOptions(style = 'medium-year-month-day'): Intl.DateTimeFormatOptions {
  const width = style.startsWith('long') ? 'long' : style.startsWith('short') ? 'numeric' : 'short';
  const o: Intl.DateTimeFormatOptions = {};
  if (style.includes('year')) o.year = width === 'numeric' ? '2-digit' : 'numeric';
  if (style.includes('month')) o.month = width;
  if (style.includes('day')) o.day = 'numeric';
  if (style.includes('weekday')) o.weekday = width === 'numeric' ? 'short' : width;
  if (style.includes('time')) Object.assign(o, { hour: 'numeric', minute: '2-digit' });
  if (style.includes('seconds')) o.second = '2-digit';
  if (style.includes('timezone')) o.timeZoneName = 'short';
  return o;
}

export function formatDateCell(v: unknown, locale: string, options?: { style?: string; timeZone?: string }) {
  const d = toDate(v);
  if (!d) return v === null || v === undefined || v === '' ? '—' : String(v);
  try {
    return new Intl.DateTimeFormat(locale, { ...dateOptions(options?.style), timeZone: options?.timeZone }).format(d);
  } catch {
    return d.toISOString();
  }
}

const humanize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ') : s);

function DataTableCell({ column, item }: { column: Props; item: Props }) {
  const { locale } = useContext(HostContext);
  const value = item[column.key];
  const cell = column.cell ?? { type: 'text' };
  if (value === undefined || value === null || value === '') return <span className="muted">—</span>;
  switch (cell.type) {
    case 'id':
      return <span className="mono">{String(value)}</span>;
    case 'date':
      return <>{formatDateCell(value, locale, cell.options)}</>;
    case 'status': {
      const type = cell.statusMap?.[String(value)] ?? 'neutral';
      return <span className={`badge badge-${type}`} data-type={type}>{humanize(String(value))}</span>;
    }
    case 'currency': {
      const currency = (cell.currencyKey && item[cell.currencyKey]) || cell.currencyMap?.[item.id] || cell.currency || 'usd';
      return <span className="num">{formatMinor(Number(value), String(currency), locale)}</span>;
    }
    case 'link': {
      const href = cell.linkMap?.[String(value)];
      return href ? (
        <a className="link" href={href} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
          {String(value)}
        </a>
      ) : (
        <span className="link">{String(value)}</span>
      );
    }
    default:
      return <>{String(value)}</>;
  }
}

function RowActions({ actions, item }: { actions: Props[]; item: Props }) {
  const { open, setOpen, ref } = usePopover();
  const host = useContext(HostContext);
  const run = (a: Props) => {
    setOpen(false);
    if (a.href !== undefined) {
      if (typeof a.href === 'string') window.open(a.href, '_blank', 'noreferrer');
      else host.navigate(a.href);
    } else a.onPress?.(item);
  };
  const flat = (list: Props[]): Props[] => list.flatMap((a) => (a.actions ? flat(a.actions) : [a]));
  return (
    <span className="menu" ref={ref} onClick={(e) => e.stopPropagation()}>
      <button type="button" className="btn btn-secondary btn-small" aria-label="Row actions" onClick={() => setOpen((o) => !o)}>
        ⋯
      </button>
      {open && (
        <div className="popover menu-list menu-right" role="menu">
          {flat(actions).map((a) => (
            <button key={a.id} type="button" role="menuitem" className={`menu-item${a.type === 'destructive' ? ' destructive' : ''}`} onClick={() => run(a)}>
              {a.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}

function Pagination(props: { page: number; hasMore: boolean; total?: number; pageSize: number; count: number; onPage: (n: number) => void }) {
  const { page, hasMore, total, pageSize, count, onPage } = props;
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + count;
  return (
    <div className="pagination" data-component="Pagination">
      <span className="muted">
        {count === 0 ? 'No results' : `Viewing ${first}–${last}${total !== undefined ? ` of ${total}` : ''} · page ${page}`}
      </span>
      <span className="pagination-buttons">
        <button type="button" className="btn btn-secondary btn-small" aria-label="Previous page" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </button>
        <button type="button" className="btn btn-secondary btn-small" aria-label="Next page" disabled={!hasMore} onClick={() => onPage(page + 1)}>
          Next
        </button>
      </span>
    </div>
  );
}

function DataTable(p: Props) {
  const { columns = [], items = [], emptyMessage, loading, onRowClick, pagination, rowActions, batchable } = own(p);
  const [localPage, setLocalPage] = useState(1);
  const [selected, setSelected] = useState<Record<string, Props>>({});
  const cursor = pagination && 'hasMore' in pagination;
  const page: number = pagination?.currentPage ?? localPage;
  const pageSize: number = pagination?.pageSize ?? (items.length || 1);
  // Offset pagination hands over every item and lets the table slice; cursor pagination hands one page.
  const sliced = pagination && !cursor && items.length > pageSize;
  const shown: Props[] = sliced ? items.slice((page - 1) * pageSize, page * pageSize) : items;
  const total: number | undefined = cursor ? undefined : (pagination?.totalItems ?? items.length);
  const hasMore = cursor ? !!pagination.hasMore : page * pageSize < (total ?? 0);
  const goTo = (n: number) => {
    setLocalPage(n);
    pagination?.onPageChange?.(n);
  };
  const toggle = (item: Props) => {
    const next = { ...selected };
    if (next[item.id]) delete next[item.id];
    else next[item.id] = item;
    setSelected(next);
    batchable?.onBatchChange?.(next);
  };
  const span = columns.length + (rowActions ? 1 : 0) + (batchable ? 1 : 0);
  const empty = typeof emptyMessage === 'string' ? emptyMessage : emptyMessage?.message ?? 'No results';
  return (
    <div data-component="DataTable" className="datatable" aria-busy={loading || undefined}>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {batchable && <th className="select-cell" />}
              {columns.map((c: Props) => (
                <th key={c.key}>{c.hideHeaderLabel ? <span className="visually-hidden">{c.label}</span> : c.label}</th>
              ))}
              {rowActions && <th className="actions-cell" />}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={span}>
                  {loading ? <span className="spinner spinner-small" role="progressbar" aria-label="Loading" /> : empty}
                  {!loading && emptyMessage?.action && (
                    <a className="link" href={emptyMessage.action.href} target="_blank" rel="noreferrer"> {emptyMessage.action.label}</a>
                  )}
                </td>
              </tr>
            ) : (
              shown.map((item) => (
                <tr
                  key={item.id}
                  data-row-id={item.id}
                  className={onRowClick ? 'clickable' : undefined}
                  tabIndex={onRowClick ? 0 : undefined}
                  onClick={onRowClick ? () => onRowClick(item) : undefined}
                  onKeyDown={onRowClick ? (e) => e.key === 'Enter' && onRowClick(item) : undefined}
                >
                  {batchable && (
                    <td className="select-cell" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" aria-label={`Select ${item.id}`} checked={!!selected[item.id]} onChange={() => toggle(item)} />
                    </td>
                  )}
                  {columns.map((c: Props) => (
                    <td key={c.key}>
                      <DataTableCell column={c} item={item} />
                    </td>
                  ))}
                  {rowActions && (
                    <td className="actions-cell">
                      <RowActions actions={rowActions} item={item} />
                    </td>
                  )}
                </tr>
              ))
            )}
          </tbody>
        </table>
        {loading && shown.length > 0 && <div className="table-loading"><span className="spinner spinner-small" role="progressbar" aria-label="Loading" /></div>}
      </div>
      {pagination && <Pagination page={page} hasMore={hasMore} total={total} pageSize={pageSize} count={shown.length} onPage={goTo} />}
    </div>
  );
}

// ---------- tabs (ui: Tabs/TabList/Tab/TabPanels/TabPanel; ui/next: Tabs/Tab with label) ----------

interface TabsState {
  selected: string | undefined;
  select(id: string): void;
  register(tab: { id: string; label?: ReactNode; disabled?: boolean }): void;
  next: boolean;
}
const TabsContext = createContext<TabsState | null>(null);

function Tabs(p: Props) {
  const next = p.schemaVersion === 'v9Next';
  const { children, selectedKey, onSelectionChange, fitted } = own(p);
  const [local, setLocal] = useState<string | undefined>(selectedKey);
  const [tabs, setTabs] = useState<{ id: string; label?: ReactNode; disabled?: boolean }[]>([]);
  const selected = selectedKey ?? local ?? tabs.find((t) => !t.disabled)?.id;
  const register = useCallback((tab: { id: string; label?: ReactNode; disabled?: boolean }) => {
    setTabs((list) => {
      const i = list.findIndex((t) => t.id === tab.id);
      if (i === -1) return [...list, tab];
      if (list[i].label === tab.label && list[i].disabled === tab.disabled) return list;
      const copy = [...list];
      copy[i] = tab;
      return copy;
    });
  }, []);
  const value = useMemo<TabsState>(
    () => ({
      selected,
      next,
      register,
      select: (id) => {
        setLocal(id);
        onSelectionChange?.(id);
      },
    }),
    [selected, next, register, onSelectionChange],
  );
  return (
    <TabsContext.Provider value={value}>
      <div data-component="Tabs" className={`tabs${fitted ? ' tabs-fitted' : ''}`}>
        {next && (
          <div className="tab-list" role="tablist">
            {tabs.map((t) => (
              <TabButton key={t.id} id={t.id} disabled={t.disabled}>
                {t.label}
              </TabButton>
            ))}
          </div>
        )}
        {children}
      </div>
    </TabsContext.Provider>
  );
}

function TabButton({ id, disabled, children }: { id: string; disabled?: boolean; children: ReactNode }) {
  const tabs = useContext(TabsContext);
  const active = tabs?.selected === id;
  return (
    <button
      type="button"
      role="tab"
      data-component="Tab"
      aria-selected={active}
      className={`tab${active ? ' tab-active' : ''}`}
      disabled={disabled}
      onClick={() => tabs?.select(id)}
    >
      {children}
    </button>
  );
}

function TabList(p: Props) {
  return (
    <div data-component="TabList" className="tab-list" role="tablist">
      {own(p).children}
    </div>
  );
}

function Tab(p: Props) {
  const { id, children, disabled, label } = own(p);
  const tabs = useContext(TabsContext);
  const register = tabs?.register;
  useEffect(() => {
    register?.({ id, label, disabled });
  }, [register, id, label, disabled]);
  if (tabs?.next) {
    return tabs.selected === id ? <div role="tabpanel" className="tab-panel">{children}</div> : null;
  }
  return (
    <TabButton id={id} disabled={disabled}>
      {children}
    </TabButton>
  );
}

function TabPanels(p: Props) {
  return <div data-component="TabPanels">{own(p).children}</div>;
}

function TabPanel(p: Props) {
  const { id, children } = own(p);
  const tabs = useContext(TabsContext);
  if (tabs && tabs.selected !== id) return null;
  return (
    <div data-component="TabPanel" role="tabpanel" className="tab-panel" data-id={id}>
      {children}
    </div>
  );
}

// ---------- form fields ----------

function TextField(p: Props) {
  const { label, description, error, hiddenElements, value, defaultValue, onChange, onKeyDown, onKeyUp, invalid, size, ...rest } = own(p);
  const [local, setLocal] = useFieldValue<string>(value, defaultValue, '');
  const id = useId();
  return (
    <Field kind="TextField" id={id} label={label} description={description} error={error} hidden={hiddenElements}>
      <input
        id={id}
        className={`input input-${size ?? 'medium'}`}
        type={rest.type === 'password' ? 'password' : 'text'}
        name={rest.name}
        placeholder={rest.placeholder}
        disabled={rest.disabled}
        readOnly={rest.readOnly}
        required={rest.required}
        maxLength={rest.maxLength}
        minLength={rest.minLength}
        autoFocus={rest.autoFocus}
        autoComplete={rest.autoComplete}
        aria-invalid={invalid || !!error || undefined}
        aria-label={hiddenElements?.includes('label') ? text(label) : undefined}
        value={local}
        onChange={(e) => {
          setLocal(e.target.value);
          onChange?.(changeEvent(e.target));
        }}
        onKeyDown={(e) => onKeyDown?.({ key: e.key, code: e.code, target: { value: e.currentTarget.value } })}
        onKeyUp={(e) => onKeyUp?.({ key: e.key, code: e.code, target: { value: e.currentTarget.value } })}
      />
    </Field>
  );
}

function TextArea(p: Props) {
  const { label, description, error, hiddenElements, value, defaultValue, onChange, invalid, rows, ...rest } = own(p);
  const [local, setLocal] = useFieldValue<string>(value, defaultValue, '');
  const id = useId();
  return (
    <Field kind="TextArea" id={id} label={label} description={description} error={error} hidden={hiddenElements}>
      <textarea
        id={id}
        className="input"
        name={rest.name}
        rows={rows ?? 3}
        placeholder={rest.placeholder}
        disabled={rest.disabled}
        readOnly={rest.readOnly}
        maxLength={rest.maxLength}
        aria-invalid={invalid || !!error || undefined}
        value={local}
        onChange={(e) => {
          setLocal(e.target.value);
          onChange?.(changeEvent(e.target));
        }}
      />
    </Field>
  );
}

function Select(p: Props) {
  const { label, description, error, hiddenElements, value, defaultValue, onChange, invalid, children, multiple, ...rest } = own(p);
  const [local, setLocal] = useFieldValue<string | string[]>(value, defaultValue, multiple ? [] : '');
  const id = useId();
  return (
    <Field kind="Select" id={id} label={label} description={description} error={error} hidden={hiddenElements}>
      <select
        id={id}
        className="input"
        name={rest.name}
        disabled={rest.disabled}
        required={rest.required}
        multiple={multiple}
        aria-invalid={invalid || !!error || undefined}
        aria-label={hiddenElements?.includes('label') ? text(label) : undefined}
        value={local}
        onChange={(e) => {
          setLocal(multiple ? [...e.target.selectedOptions].map((o) => o.value) : e.target.value);
          onChange?.(changeEvent(e.target));
        }}
      >
        {children}
      </select>
    </Field>
  );
}

/** Views write <option>/<optgroup> inside Select; remote-ui sends them as components of those names. */
function Option(p: Props) {
  const { children, value, disabled, label } = own(p);
  return (
    <option value={value} disabled={disabled} label={label}>
      {children}
    </option>
  );
}

function OptGroup(p: Props) {
  const { children, label, disabled } = own(p);
  return (
    <optgroup label={label} disabled={disabled}>
      {children}
    </optgroup>
  );
}

function toggleField(kind: 'Checkbox' | 'Switch' | 'Radio') {
  return function Toggle(p: Props) {
    const { label, description, error, hiddenElements, checked, defaultChecked, onChange, indeterminate, invalid, ...rest } = own(p);
    const [local, setLocal] = useFieldValue<boolean>(checked, defaultChecked, false);
    const ref = useRef<HTMLInputElement>(null);
    const id = useId();
    useEffect(() => {
      if (ref.current) ref.current.indeterminate = !!indeterminate;
    }, [indeterminate]);
    return (
      <Field kind={kind} id={id} label={label} description={description} error={error} hidden={hiddenElements} inline>
        <input
          id={id}
          ref={ref}
          type={kind === 'Radio' ? 'radio' : 'checkbox'}
          role={kind === 'Switch' ? 'switch' : undefined}
          className={kind === 'Switch' ? 'switch' : undefined}
          name={rest.name}
          value={rest.value}
          disabled={rest.disabled}
          readOnly={rest.readOnly}
          required={rest.required}
          aria-invalid={invalid || !!error || undefined}
          checked={local}
          onChange={(e) => {
            setLocal(e.target.checked);
            onChange?.(changeEvent(e.target));
          }}
        />
      </Field>
    );
  };
}

function DateField(p: Props) {
  const { label, description, error, hiddenElements, value, defaultValue, onChange, invalid, disabled, size } = own(p);
  const [local, setLocal] = useFieldValue<string>(value, defaultValue, '');
  const id = useId();
  return (
    <Field kind="DateField" id={id} label={label} description={description} error={error} hidden={hiddenElements}>
      <input
        id={id}
        type="date"
        className={`input input-${size ?? 'medium'}`}
        disabled={disabled}
        aria-invalid={invalid || !!error || undefined}
        value={local}
        onChange={(e) => {
          setLocal(e.target.value);
          onChange?.(e.target.value);
        }}
      />
    </Field>
  );
}

const PRESETS: [string, string][] = [
  ['allTime', 'All time'], ['today', 'Today'], ['yesterday', 'Yesterday'], ['last7Days', 'Last 7 days'],
  ['last4Weeks', 'Last 4 weeks'], ['last3Months', 'Last 3 months'], ['last6Months', 'Last 6 months'],
  ['last12Months', 'Last 12 months'], ['monthToDate', 'Month to date'], ['quarterToDate', 'Quarter to date'],
  ['yearToDate', 'Year to date'], ['previousMonth', 'Previous month'], ['previousQuarter', 'Previous quarter'],
  ['previousYear', 'Previous year'],
];

const isoDay = (d: unknown) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : '');

function DateRangePicker(p: Props) {
  const { value, onChange, label, showDateGranularityToggle } = own(p);
  const range = value?.range;
  const granularity = value?.granularity;
  const preset = typeof range === 'string' ? range : range ? 'custom' : 'allTime';
  const emit = (next: { range: unknown; granularity?: string }) => onChange?.({ granularity, ...next });
  const setDay = (which: 'start' | 'end', day: string) => {
    const current = typeof range === 'object' && range ? range : {};
    const date = day ? new Date(`${day}T${which === 'start' ? '00:00:00' : '23:59:59'}`) : undefined;
    emit({ range: { ...current, [which]: date } });
  };
  return (
    <div data-component="DateRangePicker" className="date-range">
      {label && <span className="field-label">{label}</span>}
      <select
        className="input"
        aria-label={label ? `${label} preset` : 'Date range'}
        value={preset}
        onChange={(e) => emit({ range: e.target.value === 'custom' ? { start: undefined, end: undefined } : e.target.value })}
      >
        {PRESETS.map(([k, l]) => (
          <option key={k} value={k}>{l}</option>
        ))}
        <option value="custom">Custom…</option>
      </select>
      {preset === 'custom' && (
        <>
          <input type="date" className="input" aria-label="Start date" value={isoDay(range?.start)} onChange={(e) => setDay('start', e.target.value)} />
          <span className="muted">–</span>
          <input type="date" className="input" aria-label="End date" value={isoDay(range?.end)} onChange={(e) => setDay('end', e.target.value)} />
        </>
      )}
      {showDateGranularityToggle && (
        <select className="input" aria-label="Granularity" value={granularity ?? 'day'} onChange={(e) => emit({ range, granularity: e.target.value })}>
          {['day', 'week', 'month', 'year'].map((g) => (
            <option key={g} value={g}>{humanize(g)}</option>
          ))}
        </select>
      )}
    </div>
  );
}

function SearchField(p: Props) {
  const { label, data = [], description, disabled, error, placeholder, onInputChange, value, defaultValue, selectionMode, onSelectionChange } = own(p);
  const [input, setInput] = useFieldValue<string>(value, defaultValue, '');
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<Set<string | number>>(new Set());
  const id = useId();
  const matches = (data as { id: string; value: string }[]).filter((d) => d.value.toLowerCase().includes(input.toLowerCase()));
  const pick = (d: { id: string; value: string }) => {
    if (selectionMode === 'multiple') {
      const next = new Set(picked);
      if (next.has(d.id)) next.delete(d.id);
      else next.add(d.id);
      setPicked(next);
      onSelectionChange?.(next);
    } else {
      setInput(d.value);
      setOpen(false);
      onSelectionChange?.(d.id);
    }
  };
  return (
    <Field kind="SearchField" id={id} label={label} description={description} error={error}>
      <span className="search-field">
        <input
          id={id}
          type="search"
          className="input"
          placeholder={placeholder ?? 'Search'}
          disabled={disabled}
          value={input}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(e) => {
            setInput(e.target.value);
            setOpen(true);
            onInputChange?.(e.target.value);
            if (selectionMode !== 'multiple' && e.target.value === '') onSelectionChange?.(null);
          }}
        />
        {open && matches.length > 0 && (
          <span className="popover menu-list" role="listbox">
            {matches.slice(0, 50).map((d) => (
              <button key={d.id} type="button" role="option" aria-selected={picked.has(d.id)} className="menu-item" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(d)}>
                {selectionMode === 'multiple' && <input type="checkbox" readOnly checked={picked.has(d.id)} tabIndex={-1} />} {d.value}
              </button>
            ))}
          </span>
        )}
      </span>
    </Field>
  );
}

function CurrencyField(p: Props) {
  const { label, description, error, hiddenElements, value, defaultValue, onChange, onCurrencyChange, currency, defaultCurrency, currencyAllowlist, disabled, readOnly } = own(p);
  const [local, setLocal] = useFieldValue<string>(value === null || value === undefined ? undefined : String(value), defaultValue === undefined ? undefined : String(defaultValue), '');
  const [code, setCode] = useFieldValue<string>(currency, defaultCurrency, 'USD');
  const id = useId();
  return (
    <Field kind="CurrencyField" id={id} label={label} description={description} error={error} hidden={hiddenElements}>
      <span className="currency-field">
        <input
          id={id}
          className="input"
          inputMode="decimal"
          disabled={disabled}
          readOnly={readOnly}
          value={local}
          onChange={(e) => {
            setLocal(e.target.value);
            const n = Number(e.target.value.replace(/,/g, ''));
            onChange?.(e.target.value.trim() === '' || Number.isNaN(n) ? null : n);
          }}
        />
        {currencyAllowlist?.length > 1 ? (
          <select className="input" aria-label="Currency" value={code} onChange={(e) => { setCode(e.target.value); onCurrencyChange?.(e.target.value); }}>
            {currencyAllowlist.map((c: string) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        ) : (
          <span className="muted">{code}</span>
        )}
      </span>
    </Field>
  );
}

function FormFieldGroup(p: Props) {
  const { children, legend, description, disabled, layout = 'vertical' } = own(p);
  return (
    <fieldset data-component="FormFieldGroup" className={`fieldset fieldset-${layout}`} disabled={disabled}>
      {legend && <legend className="field-label">{legend}</legend>}
      {description && <div className="field-description">{description}</div>}
      <div className="fieldset-body">{children}</div>
    </fieldset>
  );
}

function StripeFileUploader(p: Props) {
  const { label } = own(p);
  const id = useId();
  return (
    <Field kind="StripeFileUploader" id={id} label={label} description="File uploads go to Stripe; not available in the preview.">
      <input id={id} type="file" disabled />
    </Field>
  );
}

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

function ContextView(p: Props) {
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

function FocusView(p: Props) {
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

function SettingsView(p: Props) {
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

function FullPageView(p: Props) {
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

function OverviewPage(p: Props) {
  const { primaryColumn, secondaryColumn, pending } = own(p);
  return (
    <section data-component="OverviewPage" className="page-columns">
      {pending ? <span className="spinner" /> : null}
      <div className="page-primary">{primaryColumn}</div>
      {secondaryColumn && <aside className="page-secondary">{secondaryColumn}</aside>}
    </section>
  );
}

function DetailPage(p: Props) {
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

function PageModule(p: Props) {
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

function DetailPagePropertyList(p: Props) {
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

function DetailPageTable(p: Props) {
  const { columns = [], items = [], pending, onItemPress, rowActions, emptyMessage, extraActions } = own(p);
  return (
    <section data-component="DetailPageTable" className="page-module">
      <ModuleActions actions={extraActions} />
      <DataTable columns={columns} items={items} loading={pending} onRowClick={onItemPress} rowActions={rowActions} emptyMessage={emptyMessage} />
    </section>
  );
}

function ListPage(p: Props) {
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

function OnboardingView(p: Props) {
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

function SignInView(p: Props) {
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

function PlatformConfigurationView(p: Props) {
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

function BarChart(p: Props) {
  const next = p.schemaVersion === 'v9Next';
  const { data = [], x, y, color, z, tooltip } = own(p);
  return next ? (
    <BarChartStandIn kind="BarChart" series={toSeries(data, 'x', 'y', 'name')} tooltip />
  ) : (
    <BarChartStandIn kind="BarChart" series={toSeries(data, x, y, color ?? z)} x={channelInfo(x)} y={channelInfo(y)} tooltip={!!tooltip} />
  );
}

function LineChart(p: Props) {
  const next = p.schemaVersion === 'v9Next';
  const { data = [], x, y, color, z } = own(p);
  const group = next ? (data[0] && 'compare' in data[0] ? 'compare' : 'name') : (color ?? z);
  return <LineChartStandIn kind="LineChart" series={next ? toSeries(data, 'x', 'y', group) : toSeries(data, x, y, group)} />;
}

function Sparkline(p: Props) {
  const { data = [], x, y, color, z } = own(p);
  return <LineChartStandIn kind="Sparkline" small series={toSeries(data, x, y, color ?? z)} />;
}

function SparkLineChart(p: Props) {
  const { data = [] } = own(p);
  return <LineChartStandIn kind="SparkLineChart" small series={toSeries(data, 'x', 'y', data[0] && 'compare' in data[0] ? 'compare' : 'name')} />;
}

function MeterChart(p: Props) {
  return <MeterChartStandIn data={own(p).data ?? []} />;
}

/** Every component name the SDK registers (ui, ui/next, ui/experimental), plus <option>/<optgroup>. */
export const standIns: Record<string, (p: Props) => ReactNode> = {
  Accordion, AccordionItem, Badge, Banner, BarChart, Box, Button, ButtonGroup, Checkbox: toggleField('Checkbox'),
  Chip, ChipList, ContextView, CurrencyField, DataTable, DateField, DateRangePicker, DetailPage,
  DetailPagePropertyList, DetailPageTable, Divider, FocusView, FormFieldGroup, FullPageView, Icon, Img, Inline,
  LineChart, Link, List, ListItem, ListPage, Menu, MenuGroup, MenuItem, MeterChart, OnboardingView, OverviewPage,
  PageModule, PlatformConfigurationView, PropertyList, PropertyListItem, Radio: toggleField('Radio'), SearchField,
  Select, SettingsView, SignInView, Sparkline, SparkLineChart, Spinner, StripeFileUploader, Switch: toggleField('Switch'),
  Tab, TabList, TabPanel, TabPanels, Table: tablePart('table', 'Table'), TableBody: tablePart('tbody', 'TableBody'),
  TableCell, TableFooter: tablePart('tfoot', 'TableFooter'), TableHead: tablePart('thead', 'TableHead'),
  TableHeaderCell, TableRow: tablePart('tr', 'TableRow'), Tabs, TaskList, TaskListItem, TextArea, TextField, Tooltip,
  option: Option, optgroup: OptGroup,
};

/** A component the preview has no stand-in for: visible, named, with its children. */
export function unknownComponent(name: string) {
  return function Unknown(p: Props) {
    const { children } = own(p);
    return (
      <div data-component={name} data-unknown-component className="unknown-component">
        <span className="unknown-component-name">{`<${name}>`}</span>
        {children}
      </div>
    );
  };
}
