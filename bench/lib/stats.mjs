// Medians, spreads and the measurement window of a run (see bench/README.md, "How a figure is
// measured").

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Sample standard deviation (n-1); 0 for one value, null for none. */
export function stddev(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  if (!v.length) return null;
  if (v.length === 1) return 0;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
}

/**
 * `samples`: [{ t, n, cpu }] polled every few tens of ms (t in seconds since the process was
 * spawned, n = committed offsets or high watermarks summed over the partitions, cpu = CPU seconds
 * of the process tree). `total` = records the run must move.
 *
 * mode 'commit' (sinks): n only moves when the connector commits (every offset.flush.interval.ms),
 * and the commit that reaches the end can come up to one interval after the last record was
 * handled. The window runs from the first commit at or past 5 % of the topic to the LAST commit
 * before the end (normally > 90 %): both ends are points where the connector was busy, so the
 * idle tail and the startup are outside it and the 1 s commit granularity does not quantize it.
 *
 * mode 'continuous' (high watermarks of a topic being produced to): from the first sample at or
 * past 5 % to the first at or past 95 %.
 *
 * Falls back to [first progress, end] ('coarse') when there are too few points inside.
 */
export function measureWindow(samples, total, mode) {
  // Points where n changed, each at the time it was first seen.
  const ev = [];
  for (const s of samples) if (!ev.length || s.n !== ev[ev.length - 1].n) ev.push(s);
  const first = ev.find((e) => e.n > 0);
  const done = ev.find((e) => e.n >= total);
  const out = {
    startup_s: first ? first.t : null,
    done_s: done ? done.t : null,
    e2e_records_per_sec: done ? total / done.t : null,
    cpu_total_s: done ? done.cpu : samples.length ? samples[samples.length - 1].cpu : null,
  };
  let a = ev.find((e) => e.n >= 0.05 * total);
  let b;
  let method = mode;
  if (mode === 'commit') {
    const before = ev.filter((e) => e.n < total);
    b = before.length ? before[before.length - 1] : undefined;
  } else {
    b = ev.find((e) => e.n >= 0.95 * total);
  }
  if (!a || !b || b.t <= a.t || b.n - a.n < 0.2 * total) {
    // Too few points inside (a tiny topic, or a connector much faster than the commit interval).
    a = first;
    b = done;
    method = 'coarse';
  }
  if (!a || !b || b.t <= a.t) return { ...out, method: 'failed' };
  const records = b.n - a.n;
  const seconds = b.t - a.t;
  const rate = records / seconds;
  // CPU: the worker's CPU rate over the part of the window in which it was busy, divided by the
  // record rate. A commit reports what was flushed at or before it (sluice's trail its processing
  // by about one interval), so in a short run the last commits of the window can arrive after the
  // work is done; counting the idle tail would make CPU per record look near zero.
  const busyEnd = lastBusyTime(samples);
  const cpuTo = Math.min(b.t, busyEnd ?? b.t);
  const cpuSpan = cpuTo - a.t;
  let cpuRate = null;
  let brokerRate = null;
  let cpuNote = cpuTo < b.t ? 'busy part of the window' : 'window';
  if (a.cpu != null && cpuSpan >= Math.min(0.5, seconds / 2)) {
    const cpuEnd = cpuAt(samples, cpuTo, 'cpu');
    if (cpuEnd != null) cpuRate = (cpuEnd - a.cpu) / cpuSpan;
    const bEnd = a.bcpu != null ? cpuAt(samples, cpuTo, 'bcpu') : null;
    if (bEnd != null) brokerRate = (bEnd - a.bcpu) / cpuSpan;
  } else {
    cpuNote = 'the worker was busy for too little of the window to attribute CPU (run too short)';
  }
  return {
    ...out,
    a,
    b,
    method,
    window_from: a.n / total,
    window_to: b.n / total,
    window_records: records,
    window_s: seconds,
    records_per_sec: rate,
    cpu_window_s: cpuSpan,
    cpu_cores: cpuRate,
    cpu_note: cpuNote,
    cpu_s_per_million: cpuRate != null ? (cpuRate * 1e6) / rate : null,
    broker_cpu_s_per_million: brokerRate != null ? (brokerRate * 1e6) / rate : null,
  };
}

/** samples[].key (CPU seconds) at time t, interpolated between samples. */
function cpuAt(samples, t, key) {
  for (let i = 1; i < samples.length; i++) {
    const p = samples[i - 1];
    const q = samples[i];
    if (q.t >= t && p[key] != null && q[key] != null) return p[key] + ((q[key] - p[key]) * (t - p.t)) / Math.max(1e-9, q.t - p.t);
  }
  return samples.length ? samples[samples.length - 1][key] : null;
}

/**
 * The end of the worker's last busy stretch: the last time its CPU grew at 20 % of a core or more
 * over a quarter of a second. Idle housekeeping (timers, GC of an idle JVM) stays below that.
 */
function lastBusyTime(samples, span = 0.25, cores = 0.2) {
  let j = samples.length - 1;
  for (let i = samples.length - 1; i >= 0; i--) {
    while (j > i && samples[j - 1].t - samples[i].t >= span) j--;
    const p = samples[i];
    const q = samples[j];
    if (q.t - p.t < span || p.cpu == null || q.cpu == null) continue;
    if ((q.cpu - p.cpu) / (q.t - p.t) >= cores) return q.t;
  }
  return null;
}
