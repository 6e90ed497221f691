// The loading, error and empty states every view shows.
import { Banner, Box, Button, Spinner } from '@stripe/ui-extension-sdk/ui';
import { ApiError } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Box css={{ stack: 'x', gap: 'small', alignY: 'center', padding: 'medium' }}>
      <Spinner size="small" />
      <Box css={{ color: 'secondary' }}>{label}</Box>
    </Box>
  );
}

export function errorText(error: Error): string {
  if (error instanceof ApiError && error.requestId) return `${error.message} (request ${error.requestId})`;
  return error.message;
}

export function ErrorBanner({ title, error, onRetry }: { title: string; error: Error; onRetry?: () => void }) {
  return (
    <Banner
      type="critical"
      title={title}
      description={errorText(error)}
      actions={onRetry ? <Button onPress={onRetry}>Try again</Button> : undefined}
    />
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <Box css={{ color: 'secondary', padding: 'medium', textAlign: 'center' }}>{children}</Box>;
}
