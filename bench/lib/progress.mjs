// One live status line on stderr (rewritten in place on a terminal, a line every few seconds
// otherwise), plus permanent lines for what finished.

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

export function fmtRate(r) {
  if (r == null || !Number.isFinite(r)) return '—';
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(r >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(r));
}

export class Progress {
  #tty = Boolean(process.stderr.isTTY);
  #shown = false;
  #lastPrint = 0;
  #startedAt = performance.now();
  #prefix = '';
  #rateFrom = null;

  /** What is running now, e.g. "[3/15] sink-null-1KB · kc · run 2/3". */
  stage(prefix) {
    this.#prefix = prefix;
    this.#rateFrom = null;
    this.#lastPrint = 0;
    this.update(null, null, true);
  }

  /** n of total done; the rate is over the last ~2 s. */
  update(n, total, force = false) {
    const now = performance.now();
    let rate = null;
    if (n != null) {
      if (!this.#rateFrom || now - this.#rateFrom.t > 2000) this.#rateFrom = { t: now, n, prev: this.#rateFrom };
      const ref = this.#rateFrom.prev ?? this.#rateFrom;
      if (now > ref.t && n > ref.n) rate = ((n - ref.n) * 1000) / (now - ref.t);
    }
    if (!force && now - this.#lastPrint < (this.#tty ? 250 : 5000)) return;
    this.#lastPrint = now;
    const elapsed = Math.round((now - this.#startedAt) / 1000);
    const mm = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`;
    let text = `${mm} ${this.#prefix}`;
    if (n != null && total) {
      const pct = Math.min(100, (100 * n) / total);
      const width = 20;
      const filled = Math.round((pct / 100) * width);
      text += ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0)}% ${fmtInt(n)}/${fmtInt(total)}`;
      if (rate) text += ` · ${fmtRate(rate)} rec/s`;
    }
    if (this.#tty) {
      const cols = process.stderr.columns || 120;
      process.stderr.write(`\r\x1b[K${text.slice(0, cols - 1)}`);
      this.#shown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** A permanent line (above the live one). */
  log(line) {
    if (this.#tty && this.#shown) process.stderr.write('\r\x1b[K');
    this.#shown = false;
    process.stderr.write(`${line}\n`);
  }

  done() {
    if (this.#tty && this.#shown) process.stderr.write('\r\x1b[K');
    this.#shown = false;
  }
}
