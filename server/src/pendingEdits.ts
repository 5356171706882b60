/**
 * Editor text not analysed yet, per document. Analysing a large file takes long enough that doing
 * it on every keystroke makes typing lag, so a document's text is applied once its edits pause,
 * or at once when something is about to read the index (flush), so no answer is ever stale.
 */
export class PendingEdits {
  private readonly waiting = new Map<string, { text: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly apply: (uri: string, text: string) => void,
    private readonly delayMs: number,
  ) {}

  /** Applies `text` once the document has had no other edit for the delay. */
  set(uri: string, text: string): void {
    clearTimeout(this.waiting.get(uri)?.timer);
    this.waiting.set(uri, { text, timer: setTimeout(() => this.flush(uri), this.delayMs) });
  }

  /** Applies the waiting text of one document now, or of every document. */
  flush(uri?: string): void {
    for (const key of uri === undefined ? [...this.waiting.keys()] : [uri]) {
      const edit = this.waiting.get(key);
      if (edit) {
        this.drop(key);
        this.apply(key, edit.text);
      }
    }
  }

  /** Forgets a document's waiting text, which something newer (the file on disk) replaces. */
  drop(uri: string): void {
    clearTimeout(this.waiting.get(uri)?.timer);
    this.waiting.delete(uri);
  }

  dispose(): void {
    [...this.waiting.keys()].forEach((uri) => this.drop(uri));
  }
}
