import { createHarness } from '../../../support/app-harness.js';

// notify_url must be https to a public address (issue 12): saved values are checked here; the
// delivery-time check against the resolved address is in test/backend/gateways/notify/.
describe('PUT /api/settings notify_url', () => {
  it.each([
    'not a url',
    'http://127.0.0.1:5432/',
    'http://localhost:4242/api/settings',
    'https://localhost/hook',
    'https://localhost./hook',
    'https://api.localhost/hook',
    'https://169.254.169.254/',
    'https://10.0.0.1/',
    'https://192.168.1.10/',
    'https://172.16.0.1/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://224.0.0.1/',
    'https://[::1]/',
    'https://[::ffff:169.254.169.254]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[fd00:ec2::254]/',
    'https://[fe80::1]/',
    'https://2130706433/',
    'https://0x7f000001/',
    'https://127.1/',
    'http://ops.example.com/hook',
  ])('refuses %s with 400 and keeps the saved value', async (url) => {
    const h = createHarness();
    expect((await h.api('PUT', '/api/settings', { notify_url: 'https://ops.example.com/hook' })).status).toBe(200);
    const res = await h.api('PUT', '/api/settings', { notify_url: url });
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err).toMatchObject({ code: 'invalid_request' });
    expect(err.message).toContain('notify_url');
    expect(err.request_id).toEqual(expect.any(String));
    expect((await (await h.api('GET', '/api/settings')).json()).notify_url).toBe('https://ops.example.com/hook');
  });

  it.each(['https://ops.example.com/hooks/billing', 'https://8.8.8.8/hook', 'https://[2606:4700::1111]/hook'])(
    'saves the public address %s',
    async (url) => {
      const h = createHarness();
      const res = await h.api('PUT', '/api/settings', { notify_url: url });
      expect(res.status).toBe(200);
      expect((await res.json()).notify_url).toBe(url);
    },
  );

  it('clears with null', async () => {
    const h = createHarness();
    await h.api('PUT', '/api/settings', { notify_url: 'https://ops.example.com/hook' });
    const res = await h.api('PUT', '/api/settings', { notify_url: null });
    expect(res.status).toBe(200);
    expect((await res.json()).notify_url).toBeNull();
  });

  it('accepts a loopback http receiver when NOTIFY_ALLOW_PRIVATE=true (development and tests)', async () => {
    const h = createHarness({ env: { NOTIFY_ALLOW_PRIVATE: 'true' } });
    const res = await h.api('PUT', '/api/settings', { notify_url: 'http://127.0.0.1:4000/hook' });
    expect(res.status).toBe(200);
    // still a URL, still http(s)
    expect((await h.api('PUT', '/api/settings', { notify_url: 'not a url' })).status).toBe(400);
    expect((await h.api('PUT', '/api/settings', { notify_url: 'ftp://127.0.0.1/' })).status).toBe(400);
  });
});
