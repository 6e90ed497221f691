// POST /webhooks/stripe with signed bodies the database cannot hold, or an account that is not one:
// a 400 (never a 5xx Stripe would retry for days) and nothing stored, no account registered.
import { randomBytes } from 'node:crypto';
import { createHarness, type Harness } from '../../../support/app-harness.js';
import { deliver, stripeEvent, stripeInvoice, WEBHOOK_SECRET } from '../../../support/stripe-events.js';

const storedFor = async (h: Harness, eventId: string) =>
  (await h.sql`SELECT id FROM payment_events WHERE event_id = ${eventId}`).length;

async function expectRefused(h: Harness, res: Response, eventId: string) {
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
  expect(await storedFor(h, eventId)).toBe(0);
  return body.error as { code: string; message: string };
}

/** The event's JSON with `metadata` nested `depth` levels deep, built as text (a stringify would overflow). */
const nestedText = (event: object, depth: number) =>
  JSON.stringify(event).replace('"metadata":{}', `"metadata":${'{"n":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`);

describe('POST /webhooks/stripe refuses unstorable bodies with 400', () => {
  const h = createHarness({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  const event = (fields: Record<string, unknown> = {}, invoice: Record<string, unknown> = {}) => {
    const e = stripeEvent('invoice.finalized', { ...stripeInvoice(), ...invoice } as never, { account: h.accountId });
    return Object.assign(e, fields) as typeof e;
  };

  it('a lone surrogate in a value, in a key, or escaped in the raw text', async () => {
    const inValue = event({}, { number: 'INV\ud800' });
    await expectRefused(h, await deliver(h.app, inValue), inValue.id);
    const inKey = event({}, { metadata: { ['k\udc00']: 'v' } });
    await expectRefused(h, await deliver(h.app, inKey), inKey.id);
    // The raw text carries the escape itself (what Stripe's JSON would look like).
    const raw = event();
    const text = JSON.stringify(raw).replace('"finalized_at"', '"x\\ud83d":1,"finalized_at"');
    expect(text).toContain('\\ud83d"');
    await expectRefused(h, await deliver(h.app, text), raw.id);
    // A well-formed pair is fine.
    const emoji = event({}, { number: 'INV 💸' });
    expect((await deliver(h.app, emoji)).status).toBe(200);
  });

  it('nesting deeper than 64 levels, up to thousands', async () => {
    for (const depth of [70, 5_000, 100_000]) {
      const deep = event();
      const text = nestedText(deep, depth);
      expect(text.length).toBeGreaterThan(depth * 5);
      const error = await expectRefused(h, await deliver(h.app, text), deep.id);
      expect(error.message).toMatch(/nest/);
    }
    const fine = event();
    expect((await deliver(h.app, nestedText(fine, 20))).status).toBe(200);
  });

  it('ids, type, customer or object id longer than 255 characters', async () => {
    // Random (incompressible) 10 KB: an index row of it cannot be stored.
    const long = randomBytes(5_000).toString('hex');
    const id = `evt_${long}`;
    await expectRefused(h, await deliver(h.app, event({ id })), id);
    const type = event({ type: `invoice.${long}` });
    await expectRefused(h, await deliver(h.app, type), type.id);
    const customer = event({}, { customer: `cus_${long}` });
    await expectRefused(h, await deliver(h.app, customer), customer.id);
    const objectId = event({}, { id: `in_${long}` });
    await expectRefused(h, await deliver(h.app, objectId), objectId.id);
    const atLimit = event({}, { customer: `cus_${'a'.repeat(251)}` });
    expect((await deliver(h.app, atLimit)).status).toBe(200);
  });

  it('an account that is not a string, or not an account id, is refused and never registered', async () => {
    // Unique per run, so the check below sees only what this test sent.
    const tag = randomBytes(4).toString('hex');
    const injection = `x' OR 1=1 -- ${tag}`;
    const longAccount = `acct_${tag}${'a'.repeat(10_000)}`;
    const bad = [42, { id: h.accountId }, ['acct_1'], injection, 'acct_', longAccount, `cus_${tag}`, `acct_${tag} 3`, `acct_${tag}-x`, true];
    for (const account of bad) {
      const e = event({ account });
      const error = await expectRefused(h, await deliver(h.app, e), e.id);
      expect(error.code).toBe('invalid_account');
    }
    const registered = await h.sql`SELECT id FROM accounts WHERE id LIKE ${`%${tag}%`}`;
    expect(registered).toEqual([]);
  });

  it('NUL is still refused', async () => {
    const e = event({}, { number: 'INV\u0000' });
    await expectRefused(h, await deliver(h.app, e), e.id);
  });

  it('the signature is checked before the body: an unsigned deep body is a 401', async () => {
    const body = nestedText(event(), 5_000);
    const res = await h.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, body });
    expect(res.status).toBe(401);
  });
});
