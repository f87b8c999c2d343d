// Per-request batching of lookups by key, as DataLoader does: every `load` asked while graphql-js
// resolves one level of the answer (the `voter` of each of 10,000 votes) is collected and answered
// by one call of `loadMany` with the distinct keys, and a key asked again in the same request gets
// the same answer without another call.

/** Loads values for distinct keys; the answer has one value per key, in the same order. */
export type LoadMany<K, V> = (keys: K[]) => V[] | Promise<V[]>;

interface Waiting<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/** The keys of one call of `loadMany`, and a promise settled once their answers are in. */
interface Batch<K, V> {
  waiting: Waiting<K, V>[];
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

const ignore = () => undefined;

function newBatch<K, V>(): Batch<K, V> {
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
  // Waited for by `whenLoaded` callers only, if any: a failed batch with none is no unhandled rejection.
  done.catch(ignore);
  return { waiting: [], done, settle };
}

export class BatchLoader<K, V> {
  private readonly loadMany: LoadMany<K, V>;
  private readonly answers = new Map<K, Promise<V>>();
  /** Answers already in, so a resolver can take them without a promise per item. */
  private readonly known = new Map<K, V>();
  /** The batch collecting keys now. */
  private batch: Batch<K, V> = newBatch();
  /** The batch each key asked was (or is) loaded in. */
  private readonly batchOf = new Map<K, Batch<K, V>>();

  /** Runs a batch when its turn comes (the request's scheduler); a rejection fails the batch. */
  private readonly defer?: (dispatch: () => void) => unknown;

  constructor(loadMany: LoadMany<K, V>, defer?: (dispatch: () => void) => unknown) {
    this.loadMany = loadMany;
    this.defer = defer;
  }

  /** Whether the answer for `key` is already in (loaded earlier in this request). */
  has(key: K): boolean {
    return this.known.has(key);
  }

  /** The answer for `key` when {@link has} says it is in. */
  get(key: K): V {
    return this.known.get(key) as V;
  }

  load(key: K): Promise<V> {
    const known = this.answers.get(key);
    if (known) return known;
    const batch = this.batch;
    const answer = new Promise<V>((resolve, reject) => {
      if (batch.waiting.length === 0) this.schedule();
      batch.waiting.push({ key, resolve, reject });
    });
    this.answers.set(key, answer);
    this.batchOf.set(key, batch);
    return answer;
  }

  /**
   * Asks for `key` as {@link load} does, without a promise per key to wait for: undefined when its
   * answer is already in, else the promise of the batch it is loaded in, which settles once every
   * answer of that batch is in (rejected as the batch's keys are when it fails). Many keys asked
   * at once name only a few batches, so waiting for thousands of them is a few promises.
   */
  whenLoaded(key: K): Promise<void> | undefined {
    if (this.known.has(key)) return undefined;
    let batch = this.batchOf.get(key);
    if (!batch) {
      // Only the batch is waited for: the key's own answer is taken later (or never) with `load`.
      this.load(key).catch(ignore);
      batch = this.batchOf.get(key)!;
    }
    return batch.done;
  }

  /**
   * Runs the batch once the resolvers already on their way have asked: after the promise jobs
   * queued now (resolvers reached through resolved promises), then one `nextTick`, which Node runs
   * only when the promise job queue is empty again. DataLoader schedules the same way. With
   * `defer`, the batch then waits for its turn behind the request's statements already waiting:
   * when the event loop is busy, the lists of one level are handed out one per turn, and each asks
   * for its items' references in its turn; they all join this batch instead of one batch each.
   */
  private schedule(): void {
    void Promise.resolve().then(() =>
      process.nextTick(() => {
        const defer = this.defer;
        if (!defer) return void this.dispatch();
        // A batch that never gets its turn (the request stopped at its time limit) fails its keys.
        Promise.resolve()
          .then(() => defer(() => void this.dispatch()))
          .catch((error: unknown) => this.fail(this.batch, error));
      }),
    );
  }

  private fail(batch: Batch<K, V>, error: unknown): void {
    if (batch === this.batch) this.batch = newBatch();
    for (const w of batch.waiting) w.reject(error);
    batch.settle(error);
  }

  private async dispatch(): Promise<void> {
    const batch = this.batch;
    this.batch = newBatch();
    const waiting = batch.waiting;
    try {
      const values = await this.loadMany(waiting.map((w) => w.key));
      if (values.length !== waiting.length) throw new Error(`a batch of ${waiting.length} keys was answered with ${values.length} values`);
      waiting.forEach((w, i) => {
        this.known.set(w.key, values[i] as V);
        w.resolve(values[i] as V);
      });
      batch.settle();
    } catch (error) {
      this.fail(batch, error);
    }
  }
}
