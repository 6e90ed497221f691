// Stand-ins: lists, property lists, accordions, task lists, tables and the DataTable.
import { createContext, useContext, useState } from 'react';
import { HostContext, own, pressEvent, type Props } from './shared';
import { usePopover } from './layout';

// ---------- lists ----------

const ListContext = createContext<((id: string) => void) | undefined>(undefined);

export function List(p: Props) {
  const { children, onAction } = own(p);
  return (
    <ListContext.Provider value={onAction}>
      <ul data-component="List" className="list">
        {children}
      </ul>
    </ListContext.Provider>
  );
}

export function ListItem(p: Props) {
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

export function PropertyList(p: Props) {
  const { children, orientation = 'vertical' } = own(p);
  return (
    <dl data-component="PropertyList" className={`property-list property-list-${orientation}`}>
      {children}
    </dl>
  );
}

export function PropertyListItem(p: Props) {
  const { label, value } = own(p);
  return (
    <div data-component="PropertyListItem" className="property">
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  );
}

export function Accordion(p: Props) {
  return (
    <div data-component="Accordion" className="accordion">
      {own(p).children}
    </div>
  );
}

export function AccordionItem(p: Props) {
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

export function TaskList(p: Props) {
  return (
    <ol data-component="TaskList" className="task-list">
      {own(p).children}
    </ol>
  );
}

export function TaskListItem(p: Props) {
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

export const tablePart = (Tag: 'table' | 'thead' | 'tbody' | 'tfoot' | 'tr', kind: string) =>
  function TablePart(p: Props) {
    const content = <Tag data-component={kind}>{own(p).children}</Tag>;
    return Tag === 'table' ? <div className="table-wrap">{content}</div> : content;
  };

export function TableCell(p: Props) {
  const { children, colSpan, rowSpan, wrap } = own(p);
  return (
    <td data-component="TableCell" colSpan={colSpan} rowSpan={rowSpan} style={wrap ? { whiteSpace: 'normal' } : undefined}>
      {children}
    </td>
  );
}

export function TableHeaderCell(p: Props) {
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

function formatDateCell(v: unknown, locale: string, options?: { style?: string; timeZone?: string }) {
  const d = toDate(v);
  if (!d) return v === null || v === undefined || v === '' ? '—' : String(v);
  try {
    return new Intl.DateTimeFormat(locale, { ...dateOptions(options?.style), timeZone: options?.timeZone }).format(d);
  } catch {
    return d.toISOString();
  }
}

export const humanize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ') : s);

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

export function DataTable(p: Props) {
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
