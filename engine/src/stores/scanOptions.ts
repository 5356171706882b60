/**
 * How a whole-store scan may stop early, and how it says it did not. A scan that ends while the
 * signal is aborted may have read the store to its end or stopped before it: only the scan knows.
 */
export interface ScanOptions {
  /** Stops the scan between pages. */
  signal?: AbortSignal;
  /** Called once the scan has read the store to its end and its last page was handled; never when `signal` stopped it before. */
  onEnd?: () => void;
}
