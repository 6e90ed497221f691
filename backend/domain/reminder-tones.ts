// Per-tenant reminder escalation: which days past due a tenant's invoices are reminded at, and in
// which tone (friendly, firm, final). A tenant's own steps (tenants.reminder_steps, migration 018)
// replace the account's reminder_steps for its invoices; without them the account's steps apply
// with tones by position: the first friendly, the second firm, every later one final.
import type { Db } from '../db/client.js';

export const REMINDER_TONES = ['friendly', 'firm', 'final'] as const;
export type ReminderTone = (typeof REMINDER_TONES)[number];

export interface ReminderStep {
  days: number;
  tone: ReminderTone;
}

/** The tone of the account default's step at `index` (0-based, steps sorted by days). */
export const toneByPosition = (index: number): ReminderTone => REMINDER_TONES[Math.min(Math.max(index, 0), 2)];

/** The account's steps with their default tones. */
export const defaultSteps = (accountSteps: number[]): ReminderStep[] =>
  [...accountSteps].sort((a, b) => a - b).map((days, i) => ({ days, tone: toneByPosition(i) }));

/**
 * The tone of a reminder sent at `step` days: the tenant's step of those days, else the account
 * default's; when the steps changed since the reminder was claimed, the last step at or before it.
 */
export function toneFor(step: number, tenantSteps: ReminderStep[] | null, accountSteps: number[]): ReminderTone {
  const steps = tenantSteps && tenantSteps.length > 0 ? [...tenantSteps].sort((a, b) => a.days - b.days) : defaultSteps(accountSteps);
  const reached = steps.filter((s) => s.days <= step);
  return (reached.at(-1) ?? steps[0])?.tone ?? 'friendly';
}

/** How the admin message opens and closes in each tone. */
export const ADMIN_WORDING: Record<ReminderTone, { lead: string; close: string }> = {
  friendly: { lead: 'Friendly reminder: ', close: '' },
  firm: { lead: 'Second notice: ', close: ' Please follow up with the tenant.' },
  final: { lead: 'Final notice: ', close: ' This is the last reminder before escalation.' },
};

/** SQL: the days of a tenant row `t`'s own steps as integer[] (NULL when it has none). */
export const tenantStepDays = (db: Db) =>
  db`(SELECT array_agg((e->>'days')::int ORDER BY (e->>'days')::int) FROM jsonb_array_elements(t.reminder_steps) e)`;
