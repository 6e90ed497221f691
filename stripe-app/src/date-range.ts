// Turns the DateRangePicker's value (a preset or a picked range) into the API's from/to
// (inclusive from, exclusive to, ISO date-times). Hand-written: the SDK hands presets to the app
// unresolved, and the dozen presets are a few lines of date arithmetic in the user's time zone.
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';

export type PickerRange = DateRangePickerValue['range'];
export interface DateFilter {
  from?: string;
  to?: string;
}

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
const addMonths = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth() + n, d.getDate());
const startOfMonth = (d: Date) => new Date(d.getFullYear(), d.getMonth(), 1);
const startOfQuarter = (d: Date) => new Date(d.getFullYear(), d.getMonth() - (d.getMonth() % 3), 1);
const startOfYear = (d: Date) => new Date(d.getFullYear(), 0, 1);

function presetBounds(preset: Exclude<PickerRange, undefined | object>, now: Date): [Date, Date] | null {
  const today = startOfDay(now);
  const tomorrow = addDays(today, 1);
  switch (preset) {
    case 'today': return [today, tomorrow];
    case 'yesterday': return [addDays(today, -1), today];
    case 'last7Days': return [addDays(today, -6), tomorrow];
    case 'last4Weeks': return [addDays(today, -27), tomorrow];
    case 'last3Months': return [addMonths(tomorrow, -3), tomorrow];
    case 'last6Months': return [addMonths(tomorrow, -6), tomorrow];
    case 'last12Months': return [addMonths(tomorrow, -12), tomorrow];
    case 'previousMonth': return [addMonths(startOfMonth(now), -1), startOfMonth(now)];
    case 'previousQuarter': return [addMonths(startOfQuarter(now), -3), startOfQuarter(now)];
    case 'previousYear': return [new Date(now.getFullYear() - 1, 0, 1), startOfYear(now)];
    case 'monthToDate': return [startOfMonth(now), tomorrow];
    case 'quarterToDate': return [startOfQuarter(now), tomorrow];
    case 'yearToDate': return [startOfYear(now), tomorrow];
    case 'allTime': return null;
  }
  return null;
}

export function rangeToFilter(range: PickerRange, now = new Date()): DateFilter {
  if (!range) return {};
  if (typeof range === 'string') {
    const bounds = presetBounds(range, now);
    return bounds ? { from: bounds[0].toISOString(), to: bounds[1].toISOString() } : {};
  }
  return {
    from: range.start ? startOfDay(range.start).toISOString() : undefined,
    // the picked end day is included: the bound is the start of the next day
    to: range.end ? addDays(startOfDay(range.end), 1).toISOString() : undefined,
  };
}

/** The time zone the picker shows days in (the user's). */
export const userTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
