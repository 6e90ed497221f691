// Shapes of responses whose backend schema files do not exist yet (sync, invoice actions),
// written from DESIGN.md and the issue. Replace each with a type-only import in contract.ts once
// backend/http/sync-schemas.ts / an ActionResult in action-schemas.ts exist, then delete this file.
import type { InvoiceResponse } from '../../../backend/http/ledger-schemas';

export type SyncRunResponse = {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  error: string | null;
};

/** An invoice action answers the updated invoice. */
export type ActionResult = InvoiceResponse;
