import { createHarness } from '../../../support/app-harness.js';

describe('GET/PUT /api/settings', () => {
  it('starts from the defaults, with a signing secret for notifications', async () => {
    const h = createHarness();
    const res = await h.api('GET', '/api/settings');
    expect(res.status).toBe(200);
    const s = await res.json();
    expect(s).toMatchObject({
      paypal_webhook_id: null,
      tenant_metadata_key: null,
      notify_url: null,
      past_due_grace_days: 0,
      reminder_steps: [0, 7, 30],
    });
    expect(s.notify_secret).toMatch(/^[0-9a-f]{32}$/);
  });

  it('saves given fields, keeps the others, and sorts reminder steps', async () => {
    const h = createHarness();
    await h.api('PUT', '/api/settings', { paypal_webhook_id: 'WH1234ABC', past_due_grace_days: 3 });
    const res = await h.api('PUT', '/api/settings', { tenant_metadata_key: 'tenant_id', reminder_steps: [30, 0, 7, 14] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      paypal_webhook_id: 'WH1234ABC',
      tenant_metadata_key: 'tenant_id',
      past_due_grace_days: 3,
      reminder_steps: [0, 7, 14, 30],
    });
  });

  it.each([
    [{ unknown_key: 1 }, ''],
    [{ past_due_grace_days: -1 }, 'past_due_grace_days'],
    [{ past_due_grace_days: 2.5 }, 'past_due_grace_days'],
    [{ notify_url: 'ftp://example.com' }, 'notify_url'],
    [{ notify_url: 'http://example.com/hook' }, 'notify_url'],
    [{ tenant_metadata_key: 'has space' }, 'tenant_metadata_key'],
    [{ reminder_steps: [7, 7] }, 'reminder_steps'],
    [{ paypal_webhook_id: 'wh-lower' }, 'paypal_webhook_id'],
  ])('refuses %j with 400 and changes nothing', async (body, field) => {
    const h = createHarness();
    const before = await (await h.api('GET', '/api/settings')).json();
    const res = await h.api('PUT', '/api/settings', body);
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err.code).toBe('invalid_request');
    expect(err.message).toContain(field);
    expect(await (await h.api('GET', '/api/settings')).json()).toEqual(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const h = createHarness();
    const res = await h.api('PUT', '/api/settings', '{not json');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('keeps live and test settings apart, and accounts apart', async () => {
    const h = createHarness();
    await h.api('PUT', '/api/settings', { paypal_webhook_id: 'WHTEST1' }, { mode: 'test' });
    await h.api('PUT', '/api/settings', { paypal_webhook_id: 'WHLIVE1' }, { mode: 'live' });
    expect((await (await h.api('GET', '/api/settings', undefined, { mode: 'test' })).json()).paypal_webhook_id).toBe('WHTEST1');
    expect((await (await h.api('GET', '/api/settings', undefined, { mode: 'live' })).json()).paypal_webhook_id).toBe('WHLIVE1');
    const other = createHarness();
    expect((await (await other.api('GET', '/api/settings')).json()).paypal_webhook_id).toBeNull();
  });
});
