// Shared by the native benchmarks.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds per thread name (librdkafka's rdk:*, sluice-consume, node's threads), from /proc. */
export function threadCpu(): Record<string, number> {
  const out: Record<string, number> = {};
  const tick = 100; // USER_HZ
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(f[11]) + Number(f[12])) / tick; // utime + stime
      const key = name.replace(/\d+$/, '').replace(/:[^:]*$/, (m) => (name.startsWith('rdk:broker') ? ':broker' : m));
      out[key] = Number(((out[key] ?? 0) + s).toFixed(2));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

