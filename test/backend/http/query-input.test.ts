// Every query parameter, date and cursor PostgreSQL would refuse is a 400 invalid_request before
// any SQL runs; the accepted date window is 1970-01-01T00:00:00Z through 9999-12-31T00:00:00Z.
import { createHarness } from '../../support/app-harness.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const UUID = '0b6f1f5c-6a4e-4c43-9d2a-3a3c1f1e2d4b';

const LISTS = ['/api/invoices', '/api/events', '/api/past-due', '/api/tenants', '/api/audit'];
const DATED = ['/api/invoices', '/api/events', '/api/stats', '/api/audit'];

describe('bad query input answers 400 before SQL', () => {
  const h = createHarness();

  async function expect400(path: string) {
    const res = await h.api('GET', path);
    const body = await res.json();
    expect({ path, status: res.status }).toEqual({ path, status: 400 });
    expect(body.error).toMatchObject({ code: 'invalid_request', message: expect.any(String), request_id: expect.any(String) });
  }

  it('NUL in a search or filter string', async () => {
    for (const path of ['/api/invoices?q=%00', '/api/invoices?q=a%00b', '/api/tenants?q=%00', '/api/tenants?link=cus_%00', '/api/audit?user_id=u%00']) {
      await expect400(path);
    }
  });

  it('dates outside 1970..9999 or beyond what JavaScript and PostgreSQL can hold', async () => {
    const bad = ['0000-01-01', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59Z', '9999-12-31T00:00:00-01:00', '9999-12-31T23:59:59-01:00', '+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z'];
    for (const path of DATED) {
      for (const value of bad) {
        await expect400(`${path}?from=${encodeURIComponent(value)}`);
        await expect400(`${path}?to=${encodeURIComponent(value)}`);
      }
      // The audit log used to accept whatever Date.parse did.
      await expect400(`${path}?from=1`);
    }
  });

  it('dates at the edges of the window are accepted', async () => {
    for (const path of DATED) {
      for (const query of ['from=1970-01-01&to=9999-12-31', `from=${encodeURIComponent('9999-12-31T00:00:00Z')}`, `to=${encodeURIComponent('1970-01-01T00:00:00+00:00')}`]) {
        const res = await h.api('GET', `${path}?${query}`);
        expect({ path, query, status: res.status }).toEqual({ path, query, status: 200 });
      }
    }
  });

  it('crafted cursors', async () => {
    const cursors = [
      b64(['+275760-09-13T00:00:00.000Z', UUID]),
      b64(['0000-01-01T00:00:00.000Z', UUID]),
      b64(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
      b64(['2026-01-01T00:00:00.000Z', 'g'.repeat(36)]),
      b64(['2026-01-01T00:00:00.000Z']),
      b64(['2026-01-01T00:00:00.000Z', UUID, 'extra']),
      b64([1, UUID]),
      b64(['2026-01-01T00:00:00.000Z', 5]),
      b64({ t: '2026-01-01T00:00:00.000Z', id: UUID }),
      b64(['2026-01-01\u0000', UUID]),
      b64(['1', UUID]),
      'not base64 at all %%%',
    ];
    for (const path of LISTS) {
      for (const cursor of cursors) await expect400(`${path}?cursor=${encodeURIComponent(cursor)}`);
    }
  });

  it('a well-formed cursor still pages', async () => {
    for (const path of LISTS) {
      const res = await h.api('GET', `${path}?cursor=${b64(['2026-01-01T00:00:00.000Z', UUID])}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });
});
