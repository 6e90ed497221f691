// Filter controls shared by the full page's tabs.
import { DateRangePicker, Select } from '@stripe/ui-extension-sdk/ui';
import type { DateRangePickerValue } from '@stripe/ui-extension-sdk/ui';
import { userTimeZone } from '../date-range';

export function DateFilter({ value, onChange }: { value: DateRangePickerValue; onChange: (v: DateRangePickerValue) => void }) {
  return (
    <DateRangePicker
      label="Date"
      value={value}
      timeZone={userTimeZone()}
      disableDatesAfter="today"
      onChange={(v) => onChange({ range: v.range, granularity: v.granularity })}
    />
  );
}

export function GatewayFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Select label="Gateway" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All gateways</option>
      <option value="stripe">Stripe</option>
      <option value="paypal">PayPal</option>
    </Select>
  );
}
