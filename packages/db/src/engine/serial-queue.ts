/**
 * Runs async tasks one at a time, in arrival order. PGlite is a single PostgreSQL session: two
 * callers must never interleave statements, least of all inside a transaction.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Queues fn after every task queued before it; resolves or rejects with fn's outcome. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    // The chain must continue whatever fn did, so the next task never sees this one's rejection.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
