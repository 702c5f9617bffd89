/**
 * Work to do once in the next animation frame, by key: asking again for a key before the
 * frame replaces its work, so a burst of pointer events costs one board write each frame.
 */
export class FrameWork {
  readonly #work = new Map<string, () => void>();
  #frame: number | undefined;

  schedule(key: string, work: () => void): void {
    this.#work.set(key, work);
    this.#frame ??= requestAnimationFrame(() => this.flush());
  }

  /** Does what waits now (a gesture ends: what its last moves asked for lands first). */
  flush(): void {
    this.#cancel();
    const work = [...this.#work.values()];
    this.#work.clear();
    for (const run of work) run();
  }

  /** Drops what waits, and its frame. */
  discard(): void {
    this.#cancel();
    this.#work.clear();
  }

  #cancel(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }
}
