// Reads the app manifest (stripe-app.json) the way the preview needs it: the views and where
// their source files are (the Stripe CLI bundles src/views/<component>.tsx next to the manifest).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Manifest {
  id: string;
  version: string;
  name: string;
  icon?: string;
  permissions?: { permission: string; purpose?: string }[];
  constants?: Record<string, unknown>;
  ui_extension?: {
    views?: { viewport: string; component: string }[];
    content_security_policy?: Record<string, unknown>;
  };
}

export interface AppSource {
  manifestPath: string;
  manifest: Manifest;
  viewsDir: string;
}

/** The manifest beside the app (stripe-app/stripe-app.json) or at the top of the repository. */
export function findApp(root = ROOT): AppSource {
  const candidates = [path.join(root, 'stripe-app', 'stripe-app.json'), path.join(root, 'stripe-app.json')];
  const manifestPath = candidates.find((p) => existsSync(p));
  if (!manifestPath) throw new Error(`no stripe-app.json found (looked at ${candidates.join(', ')})`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const besideManifest = path.join(path.dirname(manifestPath), 'src', 'views');
  const viewsDir = existsSync(besideManifest) ? besideManifest : path.join(root, 'stripe-app', 'src', 'views');
  return { manifestPath, manifest, viewsDir };
}

/** The source file of a view component, or null when it is missing. */
export function viewFile(app: AppSource, component: string): string | null {
  for (const ext of ['.tsx', '.ts', '.jsx', '.js']) {
    const file = path.join(app.viewsDir, `${component}${ext}`);
    if (existsSync(file)) return file;
  }
  return null;
}
