// The Dashboard host's side of the SDK utils for view tests: records the toasts the app shows and
// the Dashboard refreshes it asks for (the SDK reaches the host at globalThis.__StripeExtExports).
export function fakeHost() {
  const toasts: { message: string; type?: string }[] = [];
  let refreshes = 0;
  vi.stubGlobal('__StripeExtExports', {
    endpoint: {
      call: {
        showToast: async (message: string, options: { type?: string } = {}) => {
          toasts.push({ message, type: options.type });
          return { update: () => {}, dismiss: () => {} };
        },
        refreshDashboardData: async () => {
          refreshes++;
        },
      },
    },
  });
  return {
    toasts,
    get refreshes() {
      return refreshes;
    },
  };
}
