// The floor of the ingest benchmark: the same stack as the service (Hono on @hono/node-server,
// postgres.js, the `stripe` library) doing the least a webhook endpoint can do: verify the
// signature and insert the raw body in one statement. Run as its own process, like the service (the
// bench bundles it as backend/build.ts bundles the service, and runs both on plain Node):
//   DATABASE_URL=… | DATA_DIR=…  STRIPE_WEBHOOK_SECRET=whsec_…  node --import tsx test/bench/floor-server.ts
// It prints one JSON line {"msg":"listening","url":…} when ready.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import Stripe from 'stripe';
import { connectUrl, startEmbedded } from '../../backend/db/client.js';

const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';
const db = process.env.DATABASE_URL ? connectUrl(process.env.DATABASE_URL) : await startEmbedded(process.env.DATA_DIR ?? '.data-floor');
const { sql } = db;
// A bench-only table, not part of the schema: created here, dropped by the bench when done.
await sql`CREATE TABLE IF NOT EXISTS bench_floor_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb NOT NULL)`;

const app = new Hono();
app.post('/webhooks/stripe', async (c) => {
  const raw = await c.req.text();
  try {
    Stripe.webhooks.constructEvent(raw, c.req.header('stripe-signature') ?? '', secret);
  } catch {
    return c.json({ error: 'invalid_signature' }, 401);
  }
  await sql`INSERT INTO bench_floor_events (body) VALUES (${raw}::jsonb)`;
  return c.json({ received: true });
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${info.port}`, ready_ms: 0 }));
});
process.on('SIGTERM', () => server.close(async () => {
  await db.close();
  process.exit(0);
}));
