// Stand-ins: layout, actions (buttons, links), menus and overlays, status and feedback.
import { createContext, useContext, useEffect, useRef, useState, type CSSProperties } from 'react';
import { COLOR, tokensToStyle } from '../css-tokens';
import { HostContext, own, pressEvent, type Props } from './shared';

// ---------- layout ----------

export function Box(p: Props) {
  const { css, children } = own(p);
  return (
    <div data-component="Box" style={tokensToStyle(css)}>
      {children}
    </div>
  );
}

export function Inline(p: Props) {
  const { css, children } = own(p);
  return (
    <span data-component="Inline" style={tokensToStyle(css, true)}>
      {children}
    </span>
  );
}

export function Divider() {
  return <hr data-component="Divider" className="divider" />;
}

export function Img(p: Props) {
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

export function Button(p: Props) {
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

export function Link(p: Props) {
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

export function ButtonGroup(p: Props) {
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

export function usePopover() {
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

export function Menu(p: Props) {
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

export function MenuItem(p: Props) {
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

export function MenuGroup(p: Props) {
  const { children, title } = own(p);
  return (
    <div data-component="MenuGroup" className="menu-group" role="group">
      {title && <div className="menu-group-title">{title}</div>}
      {children}
    </div>
  );
}

export function Tooltip(p: Props) {
  const { children, trigger } = own(p);
  return (
    <span data-component="Tooltip" className="tooltip">
      <span className="tooltip-trigger" tabIndex={0}>{trigger}</span>
      <span className="tooltip-body" role="tooltip">{children}</span>
    </span>
  );
}

// ---------- status and feedback ----------

export function Badge(p: Props) {
  const { children, type = 'neutral' } = own(p);
  return (
    <span data-component="Badge" data-type={type} className={`badge badge-${type}`}>
      {children}
    </span>
  );
}

export function Banner(p: Props) {
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

export function Spinner(p: Props) {
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

export function Icon(p: Props) {
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

export function Chip(p: Props) {
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

export function ChipList(p: Props) {
  const { children, direction = 'row' } = own(p);
  return (
    <div data-component="ChipList" className="chip-list" style={{ flexDirection: direction }}>
      {children}
    </div>
  );
}
