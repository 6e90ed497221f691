import { createRoute, z } from '@hono/zod-openapi';
import {
  addLink,
  createTenant,
  deleteTenant,
  getTenant,
  listTenants,
  removeLink,
  updateTenant,
} from '../../domain/tenants.js';
import { stripeFor } from '../../gateways/stripe/api-client.js';
import { checkStripeCustomer } from '../../gateways/stripe/customer-check.js';
import { toStripeApiError } from '../../gateways/errors.js';
import { ApiError } from '../errors.js';
import { router, scopeOf } from '../openapi.js';
import {
  errorResponses,
  json,
  LinkCreateSchema,
  LinkCreatedSchema,
  listOf,
  TenantCreateSchema,
  TenantListQuery,
  TenantSchema,
  TenantUpdateSchema,
} from '../schemas.js';

const TenantParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const LinkParams = TenantParams.extend({ link_id: z.string().openapi({ param: { name: 'link_id', in: 'path' } }) });
const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
const conflictResponse = { 409: { description: 'Conflict', content: { 'application/json': { schema: errorResponses[400].content['application/json'].schema } } } };

export function tenantRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tenants',
      tags: ['tenants'],
      request: { query: TenantListQuery },
      responses: { 200: json(listOf(TenantSchema)), ...errorResponses },
    }),
    async (c) => c.json(await listTenants(c.var.deps.sql, scopeOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tenants',
      tags: ['tenants'],
      request: body(TenantCreateSchema),
      responses: { 201: json(TenantSchema, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => c.json(await createTenant(c.var.deps.sql, scopeOf(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{id}',
      tags: ['tenants'],
      request: { params: TenantParams },
      responses: { 200: json(TenantSchema), ...errorResponses },
    }),
    async (c) => c.json(await getTenant(c.var.deps.sql, scopeOf(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/tenants/{id}',
      tags: ['tenants'],
      request: { params: TenantParams, ...body(TenantUpdateSchema) },
      responses: { 200: json(TenantSchema), ...errorResponses, ...conflictResponse },
    }),
    async (c) =>
      c.json(await updateTenant(c.var.deps.sql, scopeOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tenants/{id}',
      tags: ['tenants'],
      description: 'Deletes the tenant and its links; its invoices and events stay, without a tenant.',
      request: { params: TenantParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await deleteTenant(c.var.deps.sql, scopeOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{id}/links',
      tags: ['tenants'],
      description:
        'Links a gateway identity; its existing invoices and events move to the tenant. A Stripe customer is ' +
        'first looked up through the Stripe API when the backend has a key for the mode (400 customer_not_found ' +
        'if Stripe does not know it); without one the link is stored unchecked and `unchecked_reason` says so.',
      request: { params: TenantParams, ...body(LinkCreateSchema) },
      responses: { 201: json(LinkCreatedSchema, 'Linked'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { deps, caller } = c.var;
      const scope = scopeOf(c);
      const tenantId = c.req.valid('param').id;
      const link = c.req.valid('json');
      const mode = scope.livemode ? 'live' : 'test';
      // an unknown tenant answers 404 before anything is asked of Stripe
      await getTenant(deps.sql, scope, tenantId);
      let checked = false;
      let unchecked_reason: string | null = 'PayPal identities are not checked';
      if (link.gateway === 'stripe') {
        const stripe = stripeFor(deps.stripe, scope.livemode);
        if (stripe) {
          const stripeAccount = caller.accountId === deps.config.STRIPE_ACCOUNT_ID ? null : caller.accountId;
          let found;
          try {
            found = await checkStripeCustomer(stripe, link.external_id, stripeAccount);
          } catch (err) {
            throw toStripeApiError(err);
          }
          if (found !== 'exists') {
            throw new ApiError(
              400,
              'customer_not_found',
              found === 'deleted'
                ? `Stripe customer ${link.external_id} was deleted in ${mode} mode; nothing was linked`
                : `Stripe has no customer ${link.external_id} in ${mode} mode; nothing was linked`,
            );
          }
          checked = true;
          unchecked_reason = null;
        } else {
          unchecked_reason = `the backend has no Stripe key for ${mode} mode, so the customer could not be checked`;
        }
      }
      const created = await addLink(deps.sql, scope, tenantId, link);
      return c.json({ ...created, checked, unchecked_reason }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tenants/{id}/links/{link_id}',
      tags: ['tenants'],
      request: { params: LinkParams },
      responses: { 204: { description: 'Unlinked' }, ...errorResponses },
    }),
    async (c) => {
      const { id, link_id } = c.req.valid('param');
      await removeLink(c.var.deps.sql, scopeOf(c), id, link_id);
      return c.body(null, 204);
    },
  );

  return app;
}
