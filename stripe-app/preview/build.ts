// Bundles the preview page (host + stand-ins) together with the app's real view code, with
// esbuild. The views are imported through a generated module `preview:views` built from the
// manifest, so a view added to stripe-app.json shows up without touching the preview.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { findApp, viewFile } from './manifest.js';

const HOST_ENTRY = path.join(import.meta.dirname, 'host', 'main.tsx');
const STYLES = path.join(import.meta.dirname, 'host', 'styles.css');

function viewsModule(): string {
  const app = findApp();
  const lines: string[] = [];
  const entries: string[] = [];
  const components = [...new Set((app.manifest.ui_extension?.views ?? []).map((v) => v.component))];
  components.forEach((component, i) => {
    const file = viewFile(app, component);
    if (file) {
      lines.push(`import View${i} from ${JSON.stringify(file)};`);
      entries.push(`${JSON.stringify(component)}: View${i}`);
    } else {
      // Shown in the page instead of failing the whole bundle while a view is being written.
      lines.push(`const View${i} = () => { throw new Error(${JSON.stringify(`view ${component} has no source file in ${app.viewsDir}`)}); };`);
      entries.push(`${JSON.stringify(component)}: View${i}`);
    }
  });
  return `${lines.join('\n')}\nexport default { ${entries.join(', ')} };\n`;
}

const viewsPlugin: esbuild.Plugin = {
  name: 'preview-views',
  setup(build) {
    build.onResolve({ filter: /^preview:views$/ }, () => ({ path: 'preview:views', namespace: 'preview' }));
    build.onLoad({ filter: /.*/, namespace: 'preview' }, () => ({
      contents: viewsModule(),
      loader: 'js',
      resolveDir: import.meta.dirname,
      watchFiles: [findApp().manifestPath],
    }));
  },
};

export interface Bundle {
  js: string;
  css: string;
}

export interface Bundler {
  /** Builds again (incrementally) so edits to views show on reload. */
  build(): Promise<Bundle>;
  dispose(): Promise<void>;
}

export async function createBundler(): Promise<Bundler> {
  const ctx = await esbuild.context({
    entryPoints: { preview: HOST_ENTRY, styles: STYLES },
    bundle: true,
    write: false,
    outdir: '/preview-out',
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    sourcemap: 'inline',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [viewsPlugin],
  });
  return {
    async build() {
      const result = await ctx.rebuild();
      const find = (ext: string) => result.outputFiles?.find((f) => f.path.endsWith(ext))?.text ?? '';
      return { js: find('preview.js'), css: find('styles.css') };
    },
    dispose: () => ctx.dispose(),
  };
}
