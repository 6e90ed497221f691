// Natural batching: what arrives while batches are in flight goes out together; each caller gets its own answer.
import { coalesce, type BatchResults } from '../../../backend/db/coalesce.js';

/** A write whose batches finish only when the test says so. */
function controlledWrite<I>() {
  const batches: { items: I[]; finish: (r: BatchResults<string>) => void; fail: (e: unknown) => void }[] = [];
  const write = (items: I[]) =>
    new Promise<BatchResults<string>>((finish, fail) => {
      batches.push({ items, finish, fail });
    });
  return { batches, write };
}

/** Lets every queued promise callback run (the next batch is sent from the finished one's callbacks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesce', () => {
  it('sends a lone item at once, and what arrives meanwhile as the next batch', async () => {
    const { batches, write } = controlledWrite<number>();
    const call = coalesce(write, { maxInFlight: 1, maxItems: 100 });
    const first = call(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const rest = [2, 3, 4].map(call);
    expect(batches).toHaveLength(1); // waiting for the batch in flight
    batches[0].finish(['one']);
    expect(await first).toBe('one');
    await settle();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish(['two', 'three', 'four']);
    expect(await Promise.all(rest)).toEqual(['two', 'three', 'four']);
  });

  it('keeps up to maxInFlight batches going and splits by maxItems and maxWeight', async () => {
    const { batches, write } = controlledWrite<{ n: number; w: number }>();
    const call = coalesce(write, { maxInFlight: 2, maxItems: 3, weight: (i) => i.w, maxWeight: 10 });
    const items = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n, w: n === 6 ? 20 : 1 }));
    const answers = items.map(call);
    // 1 and 2 go alone (two in flight); 3..7 wait
    expect(batches.map((b) => b.items.map((i) => i.n))).toEqual([[1], [2]]);
    batches[0].finish(['a']);
    await answers[0];
    await settle();
    // at most 3 items; item 6 is too heavy to join them
    expect(batches.map((b) => b.items.map((i) => i.n))).toEqual([[1], [2], [3, 4, 5]]);
    batches[1].finish(['b']);
    await answers[1];
    await settle();
    // a heavier item than maxWeight still goes, alone
    expect(batches[3].items.map((i) => i.n)).toEqual([6]);
    batches[2].finish(['c', 'd', 'e']);
    batches[3].finish(['f']);
    await Promise.all(answers.slice(2, 6));
    await settle();
    expect(batches[4].items.map((i) => i.n)).toEqual([7]);
    batches[4].finish(['g']);
    expect(await Promise.all(answers)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it("rejects only the caller whose item failed, and every caller when the batch fails", async () => {
    const { batches, write } = controlledWrite<number>();
    const call = coalesce(write, { maxInFlight: 1, maxItems: 100 });
    const lone = call(0);
    const [a, b, c] = [1, 2, 3].map(call);
    batches[0].fail(new Error('connection lost'));
    await expect(lone).rejects.toThrow('connection lost');
    await settle();
    batches[1].finish(['one', new Error('item 2 refused'), 'three']);
    expect(await a).toBe('one');
    await expect(b).rejects.toThrow('item 2 refused');
    expect(await c).toBe('three');
    await settle();
    // a failed batch does not stop the next
    const d = call(4);
    batches[2].finish(['four']);
    expect(await d).toBe('four');
  });
});
