// npx tsx test/bench/startup.ts [runs=3] — start-up of `npm start` on the embedded engine, as a
// new user meets it: from launching `npm start` to the first 200 from /readyz, first start (empty
// DATA_DIR: the database is created and migrated) and warm start (same DATA_DIR again). Prints
// each run, the median of each kind, and `ready_ms` from the `listening` log line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[2] ?? 3);

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function start(dataDir: string): Promise<{ seconds: number; readyMs: number | null }> {
  const port = await freePort();
  const began = performance.now();
  // detached: npm start's process group, so SIGTERM reaches npm and the backend
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const deadline = Date.now() + 120_000;
  let seconds = NaN;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) {
      seconds = (performance.now() - began) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 10)); // poll interval, not a wait for an outcome
  }
  process.kill(-child.pid!, 'SIGTERM');
  await once(child, 'exit');
  if (Number.isNaN(seconds)) throw new Error(`no 200 from /readyz within 120 s\n${out}`);
  const listening = out.split('\n').find((l) => l.includes('"listening"'));
  return { seconds, readyMs: listening ? (JSON.parse(listening).ready_ms as number) : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first: number[] = [];
const warm: number[] = [];
const warmReady: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-startup-'));
  try {
    const a = await start(path.join(dir, 'db'));
    const b = await start(path.join(dir, 'db'));
    first.push(a.seconds);
    warm.push(b.seconds);
    if (b.readyMs !== null) warmReady.push(b.readyMs);
    console.log(`run ${i + 1}: first ${a.seconds.toFixed(2)} s (ready_ms ${a.readyMs}), warm ${b.seconds.toFixed(2)} s (ready_ms ${b.readyMs})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `median of ${runs}: first start ${median(first).toFixed(2)} s, warm start ${median(warm).toFixed(2)} s ` +
    `(ready_ms ${median(warmReady)}); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`,
);
