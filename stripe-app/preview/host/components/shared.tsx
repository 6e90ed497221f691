// What every stand-in shares: the host context, SDK props, press/change events, labelled fields.
import { createContext, useEffect, useState, type ReactNode } from 'react';

/** What the stand-ins need from the host page. */
interface HostServices {
  navigate(route: unknown): void;
  locale: string;
}
export const HostContext = createContext<HostServices>({ navigate: () => {}, locale: 'en-US' });

export type Props = Record<string, any>;

/** Props the SDK adds to every component; they are not part of the component's API. */
export function own(props: Props): Props {
  const { wrappedComponentName: _w, sdkVersion: _s, schemaVersion: _v, ...rest } = props;
  return rest;
}

/** What a view receives as a PressEvent: plain data, as the real host's RPC would send. */
export function pressEvent(e: { altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }) {
  return { type: 'press', pointerType: 'mouse', altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, target: {} };
}

/** What a view receives as a change event: the fields views read, as plain data. */
export function changeEvent(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) {
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
export function useFieldValue<T>(value: T | undefined, defaultValue: T | undefined, empty: T) {
  const [local, setLocal] = useState<T>(value ?? defaultValue ?? empty);
  useEffect(() => {
    if (value !== undefined) setLocal(value);
  }, [value]);
  return [local, setLocal] as const;
}

export const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function Field(props: {
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
