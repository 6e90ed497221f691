// Keeps each connection's extended-query sequence together on the embedded engine.
//
// pglite-socket serves many connections from one PGlite by queueing single protocol messages. It
// keeps a connection's messages together only while a transaction is open, so outside one, two
// connections' Parse/Bind/Execute/Sync can interleave and one executes (or loses) the other's
// unnamed portal: `portal "" does not exist` or another query's rows. No release fixes this yet
// (0.2.17), so we replace the queue's scheduling on our server instance: after a message from a
// connection, only that connection's messages run until its sequence ends (Sync, simple Query,
// Terminate), and the transaction rule of the original is kept. Everything else is the library's.
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    exec(sql: string): Promise<unknown>;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, opts: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** True when this message leaves the connection between statements (or is a startup packet). */
const endsSequence = (message: Uint8Array) => {
  const type = message[0];
  return type === SYNC || type === QUERY || type === TERMINATE || type === 0;
};

export function keepSequencesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new Error('pglite-socket internals changed: review backend/db/embedded-socket.ts');
  }
  /** the connection whose extended-query sequence is open, if any */
  let openSequence: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = openSequence ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // wait for the owner's next message
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          openSequence = null;
          item.reject(err);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        openSequence = endsSequence(item.message) ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId: number) => {
    // A connection that went away mid-sequence must not block the others.
    if (openSequence === handlerId) openSequence = null;
    await clearTransaction(handlerId);
    await queue.processQueue();
  };
}
