// Natural batching of writes: while `maxInFlight` batches are being written, what arrives waits and
// goes out together as the next batch, so a busy service makes one statement and one commit (one
// WAL flush) for many callers, and an idle one adds no delay (a lone call goes out at once). Every
// caller still gets its own result only once its batch is committed.
// Written by hand: the batching loaders on npm (dataloader and its kin) gather what arrives within
// one tick or a fixed delay, and cache; none sizes a batch by what is already in flight.

export interface CoalesceOptions<I> {
  /** batches written at the same time; more arrivals wait for one of them to finish */
  maxInFlight: number;
  /** items in one batch */
  maxItems: number;
  /** what an item weighs (a webhook's body length) and the most one batch holds; a heavier item goes alone */
  weight?: (item: I) => number;
  maxWeight?: number;
}

/** A batch's outcome per item, in the batch's order: a result, or that item's own error. */
export type BatchResults<O> = (O | Error)[];

export function coalesce<I, O>(write: (items: I[]) => Promise<BatchResults<O>>, opts: CoalesceOptions<I>): (item: I) => Promise<O> {
  const waiting: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;

  const takeBatch = () => {
    let weight = 0;
    let n = 0;
    while (n < waiting.length && n < opts.maxItems) {
      const w = opts.weight?.(waiting[n].item) ?? 0;
      if (n > 0 && opts.maxWeight !== undefined && weight + w > opts.maxWeight) break;
      weight += w;
      n++;
    }
    return waiting.splice(0, n);
  };

  const pump = () => {
    while (inFlight < opts.maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      inFlight++;
      write(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => (results[i] instanceof Error ? b.reject(results[i]) : b.resolve(results[i] as O))),
          (err) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      pump();
    });
}
