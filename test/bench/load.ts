// Load over loopback HTTP with autocannon: each request is built (and signed) by `next()` so every
// delivery is a distinct event. Also the peak RSS of a process (VmHWM from /proc).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { bundleNodeArgs } from '../../backend/build.js';

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non_2xx: number;
  errors: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p99_ms: number;
  /** count per status code */
  status: Record<string, number>;
}

export async function runLoad(
  url: string,
  urlPath: string,
  next: () => Delivery | null,
  opts: { connections: number; seconds: number; amount?: number; /** requests per second offered (default: as fast as answered) */ rate?: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.amount ? { amount: opts.amount } : {}),
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: urlPath,
        setupRequest: (req) => {
          const d = next();
          return d ? { ...req, body: d.body, headers: d.headers } : (undefined as never);
        },
      },
    ],
  });
  const status = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non_2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
    per_second: result['2xx'] / result.duration,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    status,
  };
}

/** Peak resident set size of a process so far, in MB (Linux). */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ScriptProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a script as a child that prints a JSON `listening` line with its url: a bundle (.js, from
 * backend/build.ts) on plain Node as `npm start` runs the service, a TypeScript file with tsx.
 */
export function startScript(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ScriptProcess> {
  const args = script.endsWith('.js') ? bundleNodeArgs(script) : ['--import', 'tsx', script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      // Keep draining the log (a full pipe would stall the child) without keeping it.
      child.stdout!.off('data', onData);
      child.stdout!.on('data', () => {});
      resolve({
        url: JSON.parse(line).url,
        pid: child.pid!,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    exited.then(() => reject(new Error(`${script} exited before listening:\n${out}`)));
  });
}
