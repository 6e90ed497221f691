// The host side of the SDK's utils: what `getHostEndpoint().call.<name>(…)` reaches in the
// Dashboard. The SDK looks the endpoint up at globalThis.__StripeExtExports.endpoint.
import type { PreviewConfig } from './types';

export interface ToastOptions {
  type?: 'success' | 'caution' | 'pending';
  action?: string;
  onAction?: () => void;
}
export interface Toast {
  id: number;
  message: string;
  options: ToastOptions;
}

export interface HostEvents {
  toast(toast: Toast): void;
  updateToast(toast: Toast): void;
  dismissToast(id: number): void;
  navigate(route: Record<string, unknown>): void;
  refresh(): void;
  log(call: string, detail: unknown): void;
}

export interface Session {
  userId: string;
  accountId: string;
}

/** Asks the preview server for an app signature over { …extra, user_id, account_id } (extra: the app's { livemode }). */
export async function fetchSignature(session: Session, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch('/__preview/signature', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...extra, user_id: session.userId, account_id: session.accountId }),
  });
  if (!res.ok) throw new Error(`the preview server refused to sign (${res.status})`);
  return ((await res.json()) as { signature: string }).signature;
}

let nextToast = 1;

export function createHostCalls(config: PreviewConfig, events: HostEvents) {
  const permissions = config.app.permissions;
  const connectSrc = config.app.connectSrc;
  const session = { userId: config.userId, accountId: config.accountId };
  const calls = {
    supportsFetchAppEmbeddedKey: async () => false,
    fetchAppEmbeddedKey: async () => {
      throw new Error('app embedded keys are not available in the preview');
    },
    fetchStripeSignature: async (extra?: Record<string, unknown>) => fetchSignature(session, extra ?? {}),
    showToast: async (message: string, options: ToastOptions = {}) => {
      const toast: Toast = { id: nextToast++, message, options };
      events.toast(toast);
      return {
        update: (m: string, o: ToastOptions = {}) => events.updateToast({ ...toast, message: m, options: o }),
        dismiss: () => events.dismissToast(toast.id),
      };
    },
    navigateToDashboardRoute: async (route: Record<string, unknown>) => events.navigate(route),
    refreshDashboardData: async () => events.refresh(),
    clipboardWriteText: async (text = '') => {
      await navigator.clipboard?.writeText(text).catch(() => {});
    },
    isPermissionAuthorized: async (permission: string) => permissions.includes(permission),
    getUserAuthorizedPermissions: async () => permissions,
    isSourceInAuthorizedCSP: async (source: string) =>
      connectSrc.some((allowed) => (allowed.endsWith('/') ? source.startsWith(allowed) : source === allowed)),
    createOAuthState: async (state = '') => ({ state: `${state}${crypto.randomUUID()}`, challenge: crypto.randomUUID() }),
    // The Stripe API is not reachable from the preview; answer like a failed fetch would.
    stripeApiFetch: async (path: string) => ({
      ok: false,
      status: 503,
      statusText: 'Stripe API is not available in the preview',
      headers: {},
      json: { error: { message: `Stripe API calls (${path}) are not available in the preview` } },
    }),
  };
  // Log every call so a reader can see what the view asked of the Dashboard.
  const logged: Record<string, (...args: any[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(calls)) {
    logged[name] = async (...args: any[]) => {
      events.log(name, name === 'fetchStripeSignature' ? args[0] ?? {} : args[0]);
      return (fn as (...a: any[]) => Promise<unknown>)(...args);
    };
  }
  return logged;
}

declare global {
  // eslint-disable-next-line no-var
  var __StripeExtExports: { endpoint: { call: Record<string, (...args: any[]) => Promise<unknown>> } } | undefined;
}

export function installHostCalls(calls: Record<string, (...args: any[]) => Promise<unknown>>) {
  globalThis.__StripeExtExports = { endpoint: { call: calls } };
}
