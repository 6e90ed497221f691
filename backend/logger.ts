// pino with redaction: secrets and signature headers never reach the logs.
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers["stripe-signature"]',
  'req.headers["paypal-transmission-sig"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.STRIPE_SECRET_KEY',
  'config.STRIPE_WEBHOOK_SECRET',
  'config.STRIPE_APP_SECRET',
  'config.DATABASE_URL',
  '*.secret',
  '*.notify_secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
