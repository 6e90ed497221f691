import { ConfigError, loadConfig } from '../../backend/config.js';

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(4242);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.DATA_DIR).toBe('.data');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.STRIPE_API_URL).toBe('https://api.stripe.com');
    expect(c.PAST_DUE_SCHEDULE).toBe('0 6 * * *');
    expect(c.RECONCILE_SCHEDULE).toBe('0 * * * *');
    expect(c.PAYPAL_CERT_URL_PREFIXES).toEqual([
      'https://api.paypal.com/v1/notifications/certs/',
      'https://api.sandbox.paypal.com/v1/notifications/certs/',
    ]);
  });

  it('splits rotated secrets on commas', () => {
    const c = loadConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_a, whsec_b', STRIPE_APP_SECRET: 'absec_x' });
    expect(c.STRIPE_WEBHOOK_SECRET).toEqual(['whsec_a', 'whsec_b']);
    expect(c.STRIPE_APP_SECRET).toEqual(['absec_x']);
  });

  it('names the bad variable and never echoes secret values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    let message = '';
    try {
      loadConfig({ STRIPE_WEBHOOK_SECRET: 'sk_live_leakme' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET/);
    expect(message).not.toContain('leakme');
  });

  it('takes at most one STRIPE_SECRET_KEY per mode, the mode from its prefix', () => {
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_live_a, rk_test_b' }).STRIPE_SECRET_KEY).toEqual({ live: 'sk_live_a', test: 'rk_test_b' });
    expect(loadConfig({ STRIPE_SECRET_KEY: 'rk_live_a' }).STRIPE_SECRET_KEY).toEqual({ live: 'rk_live_a', test: null });
    expect(loadConfig({}).STRIPE_SECRET_KEY).toEqual({ live: null, test: null });
    for (const bad of ['sk_test_leakone,sk_test_leaktwo', 'sk_live_leakone,rk_live_leaktwo', 'sk_leakprefix', 'pk_test_leakpub']) {
      let message = '';
      try {
        loadConfig({ STRIPE_SECRET_KEY: bad });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message).toMatch(/STRIPE_SECRET_KEY/);
      expect(message).not.toContain('leak');
    }
  });

  it('refuses a non-postgres DATABASE_URL and an unknown log level', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('keeps notify_url to public addresses unless NOTIFY_ALLOW_PRIVATE=true, which production refuses', () => {
    expect(loadConfig({}).NOTIFY_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ NOTIFY_ALLOW_PRIVATE: 'true', NODE_ENV: 'development' }).NOTIFY_ALLOW_PRIVATE).toBe(true);
    expect(() => loadConfig({ NOTIFY_ALLOW_PRIVATE: 'yes' })).toThrow(/NOTIFY_ALLOW_PRIVATE/);
    expect(() => loadConfig({ NOTIFY_ALLOW_PRIVATE: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NOTIFY_ALLOW_PRIVATE: 'true', NODE_ENV: 'production' })).toThrow(
      /NOTIFY_ALLOW_PRIVATE: must not be true with NODE_ENV=production/,
    );
    expect(loadConfig({ NOTIFY_ALLOW_PRIVATE: 'false', NODE_ENV: 'production' }).NOTIFY_ALLOW_PRIVATE).toBe(false);
  });
});
