// A tenant's reminder escalation in its panel: the steps (days past due) and the tone of each
// (friendly, firm, final). A tenant without its own steps follows the account's reminder steps,
// toned friendly, firm, final by position (the backend's rule); "Customize" copies them to edit,
// "Use the account's steps" goes back (reminder_steps: null).
import { useState } from 'react';
import { Box, Button, Select, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ApiClient, ReminderStep, TenantResponse } from '../api/client';
import { useRequest } from '../api/hooks';
import { useAction } from '../api/use-action';
import { ErrorBanner } from './states';

type Tone = ReminderStep['tone'];
export const TONES: { tone: Tone; label: string }[] = [
  { tone: 'friendly', label: 'Friendly' },
  { tone: 'firm', label: 'Firm' },
  { tone: 'final', label: 'Final' },
];
const toneLabel = (tone: Tone) => TONES.find((t) => t.tone === tone)?.label ?? tone;

/** The account's steps as the backend tones them when a tenant has none of its own. */
export function accountSteps(days: number[]): ReminderStep[] {
  const tones: Tone[] = ['friendly', 'firm', 'final'];
  return [...days].sort((a, b) => a - b).map((d, i) => ({ days: d, tone: tones[Math.min(i, tones.length - 1)] }));
}

export const describeSteps = (steps: ReminderStep[]) =>
  steps.length === 0 ? 'No reminders.' : steps.map((s) => `day ${s.days}: ${toneLabel(s.tone).toLowerCase()}`).join(' · ');

type Row = { days: string; tone: Tone };

export function TenantReminders({ api, tenant, onSaved }: { api: ApiClient; tenant: TenantResponse; onSaved: () => void }) {
  const settings = useRequest(() => api.getSettings(), [api]);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction();
  const own = tenant.reminder_steps;
  const inherited = settings.data ? accountSteps(settings.data.reminder_steps) : null;

  const edit = () => setRows((own ?? inherited ?? [{ days: 7, tone: 'friendly' as Tone }]).map((s) => ({ days: String(s.days), tone: s.tone })));
  const setRow = (i: number, row: Partial<Row>) => setRows((r) => r && r.map((x, j) => (j === i ? { ...x, ...row } : x)));

  const save = async (steps: ReminderStep[] | null) => {
    const outcome = await action.run(() => api.updateTenant(tenant.id, { reminder_steps: steps }), {
      success: steps ? 'Reminder steps saved' : "Using the account's steps",
      failure: 'Could not save the steps',
      reload: onSaved,
    });
    if (outcome.ok) setRows(null);
  };
  const saveRows = () => {
    if (!rows) return;
    if (rows.some((r) => !/^\d+$/.test(r.days.trim()))) {
      setInvalid('Enter whole numbers of days past due.');
      return;
    }
    setInvalid(null);
    void save(rows.map((r) => ({ days: Number(r.days.trim()), tone: r.tone })));
  };

  return (
    <Box css={{ stack: 'y', gap: 'small' }}>
      <Box css={{ font: 'subheading' }}>Reminder escalation</Box>
      {action.error ? <ErrorBanner title="The steps were not saved" error={action.error} /> : null}
      {rows === null ? (
        <>
          <Box>
            {own
              ? describeSteps(own)
              : inherited
                ? `The account's steps: ${describeSteps(inherited)}`
                : settings.error
                  ? "The account's steps."
                  : 'Loading…'}
          </Box>
          <Box css={{ stack: 'x', gap: 'small' }}>
            <Button size="small" disabled={action.busy} onPress={edit}>
              {own ? 'Edit steps' : 'Customize'}
            </Button>
            {own ? (
              <Button size="small" disabled={action.busy} onPress={() => void save(null)}>
                Use the account&apos;s steps
              </Button>
            ) : null}
          </Box>
        </>
      ) : (
        <Box css={{ stack: 'y', gap: 'small' }}>
          {invalid ? <Box css={{ color: 'critical' }}>{invalid}</Box> : null}
          {rows.map((row, i) => (
            <Box key={i} css={{ stack: 'x', gap: 'small', alignY: 'bottom' }}>
              <TextField label={`Step ${i + 1}: days past due`} value={row.days} onChange={(e) => setRow(i, { days: e.target.value })} />
              <Select label={`Step ${i + 1}: tone`} value={row.tone} onChange={(e) => setRow(i, { tone: e.target.value as Tone })}>
                {TONES.map((t) => (
                  <option key={t.tone} value={t.tone}>
                    {t.label}
                  </option>
                ))}
              </Select>
              <Button size="small" type="destructive" onPress={() => setRows(rows.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </Box>
          ))}
          <Box css={{ stack: 'x', gap: 'small' }}>
            <Button size="small" disabled={rows.length >= 10} onPress={() => setRows([...rows, { days: '', tone: 'final' }])}>
              Add step
            </Button>
            <Button size="small" type="primary" disabled={action.busy || rows.length === 0} pending={action.busy} onPress={saveRows}>
              Save steps
            </Button>
            <Button size="small" disabled={action.busy} onPress={() => setRows(null)}>
              Cancel
            </Button>
          </Box>
        </Box>
      )}
    </Box>
  );
}
