// Which Chromium the browser tests drive: Debian's when installed, else the one the npm package
// @sparticuz/chromium ships (so `npm ci && npm test` runs them on a machine without a browser).
// E2E_BROWSER=system|npm forces one (npm lets a machine that has Chromium test the fresh-machine path).
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import sparticuz from '@sparticuz/chromium';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface BrowserChoice {
  kind: 'system' | 'npm';
  executablePath: string;
  /** environment of the browser process (libraries and fonts of the npm browser) */
  env?: Record<string, string>;
}

export async function chooseBrowser(choice = process.env.E2E_BROWSER ?? ''): Promise<BrowserChoice> {
  if (!['', 'auto', 'system', 'npm'].includes(choice)) {
    throw new Error(`E2E_BROWSER must be "system", "npm" or unset (auto), not "${choice}"`);
  }
  if (choice === 'system' && !existsSync(SYSTEM_CHROMIUM)) {
    throw new Error(`E2E_BROWSER=system but ${SYSTEM_CHROMIUM} does not exist`);
  }
  if (choice !== 'npm' && existsSync(SYSTEM_CHROMIUM)) return { kind: 'system', executablePath: SYSTEM_CHROMIUM };
  return npmChromium();
}

// the package exports no package.json: find its folder from its entry point (build/cjs/index.cjs)
const pkgDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '../..');
const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
// One unpacked copy per package version, beside node_modules rather than the package's default
// /tmp/chromium (shared by every checkout and version on the machine, and reused half-written).
const cache = path.resolve(pkgDir, '../../.cache/sparticuz-chromium', version);

async function npmChromium(): Promise<BrowserChoice> {
  if (!existsSync(path.join(cache, 'ready'))) await unpack();
  return {
    kind: 'npm',
    executablePath: path.join(cache, 'chromium'),
    env: {
      ...(process.env as Record<string, string>),
      // the package's copies of libnss3 & co. (its Amazon Linux set): a fresh Debian may lack them
      LD_LIBRARY_PATH: [path.join(cache, 'al2023/lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: path.join(cache, 'fonts.conf'),
    },
  };
}

/** Unpacks into a fresh folder and renames it into place, so parallel test files never see half a browser. */
async function unpack() {
  mkdirSync(path.dirname(cache), { recursive: true });
  const staging = mkdtempSync(`${cache}.tmp-`);
  try {
    // executablePath() unpacks into os.tmpdir(), read synchronously when it is called
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    const unpacking = sparticuz.executablePath();
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await unpacking;
    // executablePath() unpacks the libraries only on Amazon Linux; the archive is brotli-compressed tar
    const tarFile = path.join(staging, 'al2023.tar');
    await pipeline(createReadStream(path.join(pkgDir, 'bin/al2023.tar.br')), createBrotliDecompress(), createWriteStream(tarFile));
    mkdirSync(path.join(staging, 'al2023'));
    execFileSync('tar', ['-xf', tarFile, '-C', path.join(staging, 'al2023')]);
    rmSync(tarFile);
    // the system's fonts when it has any, plus the package's Open Sans
    writeFileSync(
      path.join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
        `  <dir>${cache}/fonts</dir>\n  <cachedir>${cache}/fonts-cache</cachedir>\n</fontconfig>\n`,
    );
    writeFileSync(path.join(staging, 'ready'), `${version}\n`);
    try {
      renameSync(staging, cache);
    } catch (err) {
      // another test file unpacked it first
      if (!existsSync(path.join(cache, 'ready'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
