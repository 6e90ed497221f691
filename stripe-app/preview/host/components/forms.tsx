// Stand-ins: tabs and form fields (text, select, toggles, dates, search, currency, files).
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { own, changeEvent, useFieldValue, text, Field, type Props } from './shared';
import { humanize } from './lists';

// ---------- tabs (ui: Tabs/TabList/Tab/TabPanels/TabPanel; ui/next: Tabs/Tab with label) ----------

interface TabsState {
  selected: string | undefined;
  select(id: string): void;
  register(tab: { id: string; label?: ReactNode; disabled?: boolean }): void;
  next: boolean;
}
const TabsContext = createContext<TabsState | null>(null);

export function Tabs(p: Props) {
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

export function TabList(p: Props) {
  return (
    <div data-component="TabList" className="tab-list" role="tablist">
      {own(p).children}
    </div>
  );
}

export function Tab(p: Props) {
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

export function TabPanels(p: Props) {
  return <div data-component="TabPanels">{own(p).children}</div>;
}

export function TabPanel(p: Props) {
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

export function TextField(p: Props) {
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

export function TextArea(p: Props) {
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

export function Select(p: Props) {
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
export function Option(p: Props) {
  const { children, value, disabled, label } = own(p);
  return (
    <option value={value} disabled={disabled} label={label}>
      {children}
    </option>
  );
}

export function OptGroup(p: Props) {
  const { children, label, disabled } = own(p);
  return (
    <optgroup label={label} disabled={disabled}>
      {children}
    </optgroup>
  );
}

export function toggleField(kind: 'Checkbox' | 'Switch' | 'Radio') {
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

export function DateField(p: Props) {
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

export function DateRangePicker(p: Props) {
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

export function SearchField(p: Props) {
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

export function CurrencyField(p: Props) {
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

export function FormFieldGroup(p: Props) {
  const { children, legend, description, disabled, layout = 'vertical' } = own(p);
  return (
    <fieldset data-component="FormFieldGroup" className={`fieldset fieldset-${layout}`} disabled={disabled}>
      {legend && <legend className="field-label">{legend}</legend>}
      {description && <div className="field-description">{description}</div>}
      <div className="fieldset-body">{children}</div>
    </fieldset>
  );
}

export function StripeFileUploader(p: Props) {
  const { label } = own(p);
  const id = useId();
  return (
    <Field kind="StripeFileUploader" id={id} label={label} description="File uploads go to Stripe; not available in the preview.">
      <input id={id} type="file" disabled />
    </Field>
  );
}
