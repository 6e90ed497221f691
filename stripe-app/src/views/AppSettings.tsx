// settings: the account's settings for the current mode (live and test are kept apart), the
// Stripe and PayPal webhook URLs to configure, the Stripe import and the check for missed events.
// Validation messages come from the API's 400 answer, shown beside the field they name.
import { useEffect, useState } from 'react';
import { Banner, Box, SettingsView, Switch, TextField } from '@stripe/ui-extension-sdk/ui';
import type { ExtensionContextValue } from '@stripe/ui-extension-sdk/context';
import { ApiError, type SettingsResponse, type SettingsUpdate } from '../api/client';
import { useApiClient, useRequest } from '../api/hooks';
import { ErrorBanner, Loading, errorText } from '../components/states';
import { webhookUrls } from '../components/FirstRun';
import { MissedEvents } from '../components/MissedEvents';
import { StripeImport } from '../components/StripeImport';

type Form = {
  paypal_webhook_id: string;
  tenant_metadata_key: string;
  notify_url: string;
  past_due_grace_days: string;
  reminder_steps: string;
  daily_digest: boolean;
};
type Field = keyof Form;

const toForm = (s: SettingsResponse): Form => ({
  paypal_webhook_id: s.paypal_webhook_id ?? '',
  tenant_metadata_key: s.tenant_metadata_key ?? '',
  notify_url: s.notify_url ?? '',
  past_due_grace_days: String(s.past_due_grace_days),
  reminder_steps: s.reminder_steps.join(', '),
  daily_digest: s.daily_digest,
});

/** The form as the API's update; numbers that do not parse are reported here, the rest by the API. */
function toUpdate(form: Form): { update?: SettingsUpdate; errors: Partial<Record<Field, string>> } {
  const errors: Partial<Record<Field, string>> = {};
  const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
  const grace = form.past_due_grace_days.trim();
  if (!/^\d+$/.test(grace)) errors.past_due_grace_days = 'Enter a whole number of days.';
  const parts = form.reminder_steps.split(/[,\s]+/).filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) errors.reminder_steps = 'Enter whole numbers of days, separated by commas.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    update: {
      paypal_webhook_id: orNull(form.paypal_webhook_id),
      tenant_metadata_key: orNull(form.tenant_metadata_key),
      notify_url: orNull(form.notify_url),
      past_due_grace_days: Number(grace),
      reminder_steps: parts.map(Number),
      daily_digest: form.daily_digest,
    },
  };
}

const AppSettings = ({ userContext, environment }: ExtensionContextValue) => {
  const api = useApiClient({ userContext, environment });
  const settings = useRequest(() => api.getSettings(), [api]);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [status, setStatus] = useState<string | undefined>();
  const [saveError, setSaveError] = useState<Error | null>(null);

  useEffect(() => {
    if (settings.data) setForm(toForm(settings.data));
  }, [settings.data]);

  const modeName = environment.mode === 'live' ? 'live' : 'test';
  const urls = webhookUrls(environment, userContext.account.id);
  const missing = 'BACKEND_URL is not set in the app manifest';

  const save = async () => {
    if (!form) return;
    setSaveError(null);
    const { update, errors: local } = toUpdate(form);
    if (!update) {
      setErrors(local);
      setStatus('Fix the highlighted fields.');
      return;
    }
    setErrors({});
    setStatus('Saving…');
    try {
      const saved = await api.updateSettings(update);
      settings.setData(saved);
      setStatus(`Saved ${modeName}-mode settings.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.issues.length > 0) {
        const byField: Partial<Record<Field, string>> = {};
        for (const issue of err.issues) {
          const field = issue.path.split('.')[0] as Field;
          if (field in form && !byField[field]) byField[field] = issue.message;
        }
        setErrors(byField);
        if (Object.keys(byField).length === 0) setSaveError(err);
      } else {
        setSaveError(err as Error);
      }
      setStatus('Not saved.');
    }
  };

  const field = (name: Exclude<Field, 'daily_digest'>) => ({
    name,
    value: form?.[name] ?? '',
    error: errors[name],
    invalid: errors[name] !== undefined,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.target.value;
      setForm((f) => (f ? { ...f, [name]: value } : f));
    },
  });

  return (
    <SettingsView onSave={form ? save : undefined} statusMessage={status}>
      {settings.error ? (
        <ErrorBanner title="Could not load the settings" error={settings.error} onRetry={settings.reload} />
      ) : !form || !settings.data ? (
        <Loading label="Loading settings…" />
      ) : (
        <Box css={{ stack: 'y', gap: 'large' }}>
          <Box css={{ color: 'secondary' }}>
            These settings apply to {modeName} mode; switch the Dashboard&apos;s mode to edit the other.
          </Box>
          {saveError ? <Banner type="critical" title="Could not save" description={errorText(saveError)} /> : null}
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>Stripe</Box>
            <TextField
              label="Stripe webhook URL"
              description="In Stripe: Developers → Webhooks → Add endpoint with this URL."
              value={urls?.stripe ?? missing}
              readOnly
            />
          </Box>
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>PayPal</Box>
            <TextField
              label="PayPal webhook URL"
              description="In PayPal's developer dashboard, add a webhook with this URL, then paste its id below."
              value={urls?.paypal ?? missing}
              readOnly
            />
            <TextField
              label={`PayPal webhook id (${modeName})`}
              description="Shown by PayPal after adding the webhook; used to verify its notifications."
              placeholder="e.g. 8PT597110X687430LKGECATA"
              {...field('paypal_webhook_id')}
            />
          </Box>
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>Tenants</Box>
            <TextField
              label="Tenant metadata key"
              description="Stripe customer metadata key whose value names the tenant (matched to a tenant's external reference)."
              placeholder="e.g. tenant_id"
              {...field('tenant_metadata_key')}
            />
          </Box>
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>Past due</Box>
            <TextField
              label="Grace days"
              description="Days after the due date before an open invoice counts as past due."
              type="number"
              {...field('past_due_grace_days')}
            />
            <TextField
              label="Reminder steps"
              description="Days past due on which reminders go out, e.g. 1, 7, 14."
              {...field('reminder_steps')}
            />
            <TextField
              label="Notification URL"
              description="Receives a signed POST for each past-due notification (https)."
              placeholder="https://example.com/hooks/past-due"
              {...field('notify_url')}
            />
            <Switch
              label="Daily digest"
              description="One summary a day to the notification URL after the past-due scan: newly past due, failures since yesterday, top overdue tenants."
              checked={form.daily_digest}
              error={errors.daily_digest}
              invalid={errors.daily_digest !== undefined}
              onChange={(e) => {
                const on = e.target.checked;
                setForm((f) => (f ? { ...f, daily_digest: on } : f));
              }}
            />
            <TextField
              label="Notification signing secret"
              description="Verify notifications with this HMAC key."
              type="password"
              value={settings.data.notify_secret}
              readOnly
            />
          </Box>
          <Box css={{ stack: 'y', gap: 'small' }}>
            <Box css={{ font: 'subheading' }}>Import from Stripe</Box>
            <Box css={{ color: 'secondary' }}>Loads existing Stripe customers&apos; invoices into the ledger.</Box>
            <StripeImport api={api} locale={userContext.locale} />
          </Box>
          <MissedEvents api={api} locale={userContext.locale} />
        </Box>
      )}
    </SettingsView>
  );
};

export default AppSettings;
