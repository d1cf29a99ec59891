import { BulkheadRejectedError } from 'cockatiel';
import { Semaphore } from '../../src/woori/semaphore';

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('admits up to its capacity at once and queues the rest', async () => {
    const semaphore = new Semaphore(2);
    const admitted: number[] = [];
    for (let i = 0; i < 4; i++) void semaphore.acquire().then(() => admitted.push(i));
    await settle();
    expect(admitted).toEqual([0, 1]);
    expect(semaphore.inUse).toBe(2);
    expect(semaphore.waiting).toBe(2);
  });

  it('hands each released slot to the longest waiter', async () => {
    const semaphore = new Semaphore(1);
    const first = await semaphore.acquire();
    const order: string[] = [];
    void semaphore.acquire().then((release) => {
      order.push('b');
      release();
    });
    void semaphore.acquire().then((release) => {
      order.push('c');
      release();
    });
    first();
    await settle();
    expect(order).toEqual(['b', 'c']);
    expect(semaphore.inUse).toBe(0);
  });

  it('drops a waiter the moment its signal aborts, and its turn goes to the next', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const dropped = semaphore.acquire(controller.signal);
    const next = semaphore.acquire();
    controller.abort(new Error('deadline'));
    await expect(dropped).rejects.toThrow('deadline');
    expect(semaphore.waiting).toBe(1);
    release();
    await expect(next).resolves.toEqual(expect.any(Function));
    expect(semaphore.inUse).toBe(1);
  });

  it('refuses at once with a signal that has already aborted', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(semaphore.inUse).toBe(0);
  });

  it('releases once however often release is called', async () => {
    const semaphore = new Semaphore(2);
    const release = await semaphore.acquire();
    await semaphore.acquire();
    release();
    release();
    expect(semaphore.inUse).toBe(1);
  });

  it('refuses at once when its queue is full, and queues again once there is room', async () => {
    const semaphore = new Semaphore(1, { maxQueue: 1 });
    const release = await semaphore.acquire();
    const queued = semaphore.acquire();
    await expect(semaphore.acquire()).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect(semaphore.waiting).toBe(1);
    release();
    const next = await queued;
    const third = semaphore.acquire();
    next();
    await expect(third).resolves.toEqual(expect.any(Function));
  });

  it('names the bad option', () => {
    expect(() => new Semaphore(0)).toThrow('capacity');
    expect(() => new Semaphore(1, { maxQueue: -1 })).toThrow('maxQueue');
  });
});
