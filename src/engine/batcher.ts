/**
 * Batches calls that arrive together: items added in the same turn of the event loop (up to `maxBatch`) go to the
 * server in one request. Used for signing and confirming, so a folder of small files costs few signer calls.
 */

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

/** Collects items and runs them in batches. */
export class Batcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private scheduled = false;

  /**
   * @param run handles one batch; must answer in the order asked
   * @param maxBatch most items per batch. Default 100.
   */
  constructor(private readonly run: (items: I[]) => Promise<O[]>, private readonly maxBatch = 100) {}

  /** Adds `item` to the next batch; resolves with its answer, rejects when its batch fails. */
  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), 0);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.run(batch.map((w) => w.item)).then((answers) => {
        batch.forEach((w, i) => (i < answers.length ? w.resolve(answers[i]!) : w.reject(new Error('The server answered fewer items than asked'))));
      }, (error: unknown) => batch.forEach((w) => w.reject(error)));
    }
  }
}
