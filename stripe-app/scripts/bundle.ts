// npm run app:bundle — type-checks the app, bundles every view of the manifest with esbuild (a
// smoke test that each has a default export and resolves), and assembles stripe-app/dist/upload/:
// the folder `stripe apps upload` expects (manifest, src/views/<Name>.tsx and the files they
// import, package.json with package-lock.json, tsconfig.json and eslint.config.mjs beside them).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appDir = join(root, 'stripe-app');
const dist = join(appDir, 'dist');
const upload = join(dist, 'upload');

interface Manifest {
  icon: string;
  ui_extension: { views: { viewport: string; component: string }[] };
  [key: string]: unknown;
}
const manifest = JSON.parse(readFileSync(join(root, 'stripe-app.json'), 'utf8')) as Manifest;
const views = manifest.ui_extension.views.map((v) => v.component);

function step(name: string) {
  console.log(`\n> ${name}`);
}

function typecheck(project: string) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project, '--noEmit'], {
      stdio: 'inherit',
    });
  } catch {
    console.error(`\napp:bundle: type errors in ${relative(root, project)} (listed above)`);
    process.exit(1);
  }
}

step('type-check (tsc -p stripe-app/tsconfig.json)');
typecheck(join(appDir, 'tsconfig.json'));

step(`bundle ${views.length} views with esbuild`);
rmSync(dist, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: Object.fromEntries(views.map((v) => [v, join(appDir, 'src/views', `${v}.tsx`)])),
  outdir: join(dist, 'bundle'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  jsx: 'automatic',
  minify: true,
  metafile: true,
  logLevel: 'warning',
});
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (!out.entryPoint) continue;
  if (!out.exports.includes('default')) throw new Error(`${out.entryPoint} has no default export`);
  console.log(`  ${relative(root, out.entryPoint)} -> ${relative(root, file)} (${(out.bytes / 1024).toFixed(0)} kB)`);
}

step('assemble stripe-app/dist/upload');
// the app's own source files the views need: esbuild's inputs, plus the modules they import only
// for types (esbuild erases those, but the folder's own type check needs them)
const runtime = Object.keys(result.metafile.inputs).map((f) => resolve(root, f));
const typeProgram = ts.createProgram(runtime.filter((f) => /\.tsx?$/.test(f)), { jsx: ts.JsxEmit.ReactJSX, noEmit: true });
const sources = [...new Set([...runtime, ...typeProgram.getSourceFiles().map((f) => resolve(f.fileName))])].filter(
  (f) => f.startsWith(join(appDir, 'src') + '/') && f !== join(appDir, 'src/api/contract.ts'),
);
for (const file of sources) {
  const target = join(upload, relative(appDir, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
// the contract types, snapshotted so the folder stands alone (the repo's contract.ts reaches into backend/)
const contract = join(appDir, 'src/api/contract.ts');
mkdirSync(join(upload, 'src/api'), { recursive: true });
writeFileSync(join(upload, 'src/api/contract.ts'), snapshotTypes(contract));

cpSync(resolve(root, manifest.icon), join(upload, 'icon.png'));
writeFileSync(join(upload, 'stripe-app.json'), JSON.stringify({ ...manifest, icon: './icon.png' }, null, 2) + '\n');

// Pinned as Stripe's example apps pin them (stripe/stripe-apps examples/full-page): the SDK and the
// tools exactly, the stripe peer of the SDK with a caret; every version is the one the repo's lock
// installed, so the folder builds with what the tests ran.
const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const installed = (name: string) => {
  const entry = rootLock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json`);
  return entry.version;
};
const exact = (names: string[]) => Object.fromEntries(names.map((n) => [n, installed(n)]));
const pkg = {
  name: 'tenant-billing-stripe-app',
  version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string,
  private: true,
  scripts: { lint: 'eslint src', typecheck: 'tsc --noEmit' },
  dependencies: { ...exact(['@stripe/ui-extension-sdk', 'react']), stripe: `^${installed('stripe')}` },
  devDependencies: exact(['@stripe/ui-extension-tools', '@types/react', 'eslint', 'typescript']),
};
writeFileSync(join(upload, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(upload, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '@stripe/ui-extension-tools/tsconfig.ui-extension',
      compilerOptions: { moduleResolution: 'bundler', target: 'ES2020' },
      include: ['src'],
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  join(upload, 'eslint.config.mjs'),
  "import uiExtensionConfig from '@stripe/ui-extension-tools/eslint.config.ui-extension.mjs';\n\n" +
    'export default [...uiExtensionConfig];\n',
);

step('package-lock.json (npm install --package-lock-only)');
// npm resolves the tree itself, peers included, so `npm ci` in the folder accepts the lock
try {
  execFileSync('npm', ['install', '--package-lock-only', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: upload,
    stdio: 'inherit',
  });
} catch {
  console.error('\napp:bundle: npm could not write package-lock.json for the upload folder (output above)');
  process.exit(1);
}

step('type-check the upload folder on its own');
typecheck(join(upload, 'tsconfig.json'));

console.log(`\nReady: ${relative(process.cwd(), upload)} (cd there, then \`stripe apps upload\`)`);

/**
 * The exported types of contract.ts written out structurally (zod-inferred types expanded), using
 * the TypeScript checker; hand-written because no package snapshots inferred types to source.
 */
function snapshotTypes(file: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(join(appDir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  const program = ts.createProgram([file], config!.options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  const lines = [
    '// Generated by stripe-app/scripts/bundle.ts from the backend schemas: a snapshot of the App API types.',
  ];
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    const target = checker.getAliasedSymbol(exported);
    const decl = target.declarations?.[0];
    const params =
      decl && (ts.isTypeAliasDeclaration(decl) || ts.isInterfaceDeclaration(decl)) && decl.typeParameters
        ? `<${decl.typeParameters.map((p) => p.name.text).join(', ')}>`
        : '';
    const type = checker.getDeclaredTypeOfSymbol(target);
    lines.push(`export type ${exported.name}${params} = ${checker.typeToString(type, decl, flags)};`);
  }
  return lines.join('\n\n') + '\n';
}
