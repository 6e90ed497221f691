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
import { router, scopeOf } from '../openapi.js';
import {
  errorResponses,
  json,
  LinkCreateSchema,
  listOf,
  TenantCreateSchema,
  TenantLinkSchema,
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
      description: 'Links a gateway identity; its existing invoices and events move to the tenant.',
      request: { params: TenantParams, ...body(LinkCreateSchema) },
      responses: { 201: json(TenantLinkSchema, 'Linked'), ...errorResponses, ...conflictResponse },
    }),
    async (c) =>
      c.json(await addLink(c.var.deps.sql, scopeOf(c), c.req.valid('param').id, c.req.valid('json')), 201),
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
