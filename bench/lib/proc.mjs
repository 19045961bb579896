// Child processes of the benchmark: started with a guard so none outlives the runner, measured
// through /proc (CPU of the whole process tree, peak RSS), and stopped on request or at exit.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ: what /proc/<pid>/stat counts utime/stime in on Linux (getconf CLK_TCK)

/** Every child that is still running; cleanup() stops them all. */
const live = new Set();

/**
 * Spawns `cmd args` with stdout+stderr appended to `logFile` (or piped when logFile is null).
 * A tiny `sh` guard holds a pipe from this process: if the runner dies in any way (even SIGKILL)
 * the pipe closes and the guard sends SIGTERM, then SIGKILL, to the child.
 * Returns { child, pid, exited: Promise<{code, signal}>, stop(), startedAt }.
 */
export function startProcess(cmd, args, { logFile = null, env = process.env, cwd } = {}) {
  let out = 'pipe';
  if (logFile) out = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(cmd, args, { stdio: ['ignore', out, out], env, cwd });
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
  const startedAt = performance.now();
  const handle = {
    child,
    pid: child.pid,
    startedAt,
    exitInfo: null,
    exited: null,
    stdout: '',
    stop: (opts) => stopProcess(handle, opts),
  };
  if (!logFile) {
    child.stdout.on('data', (d) => (handle.stdout += d));
    child.stderr.on('data', (d) => (handle.stderr = (handle.stderr ?? '') + d));
  }
  const guard = child.pid ? guardChild(child.pid) : null;
  handle.exited = new Promise((ok) => {
    const ended = (info) => {
      if (handle.exitInfo) return;
      handle.exitInfo = info;
      live.delete(handle);
      guard?.kill('SIGKILL'); // the pid may be reused from now on
      ok(info);
    };
    child.once('error', (err) => ended({ code: null, signal: null, error: err.message }));
    child.once('exit', (code, signal) => ended({ code, signal }));
  });
  live.add(handle);
  return handle;
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
export async function stopProcess(handle, { graceMs = 15_000, signal = 'SIGTERM' } = {}) {
  if (handle.exitInfo) return handle.exitInfo;
  try {
    handle.child.kill(signal);
  } catch {
    /* already gone */
  }
  const t = setTimeout(() => {
    try {
      handle.child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  try {
    return await handle.exited;
  } finally {
    clearTimeout(t);
  }
}

/** Stops every child still running (SIGTERM, then SIGKILL). */
export async function stopAll({ graceMs = 10_000 } = {}) {
  await Promise.all([...live].map((h) => stopProcess(h, { graceMs })));
}

/** Synchronous last resort (process 'exit' handler): SIGKILL every child still running. */
export function killAllSync() {
  for (const h of live) {
    try {
      h.child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function guardChild(pid) {
  const guard = spawn('sh', ['-c', 'read _; kill -TERM "$0" 2>/dev/null; sleep 10; kill -KILL "$0" 2>/dev/null', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true, // its own process group: a Ctrl-C on the terminal must not kill the guard first
  });
  guard.on('error', () => {});
  guard.unref();
  guard.stdin.on('error', () => {});
  guard.stdin.unref();
  return guard;
}

// ---------------------------------------------------------------------------------------------
// /proc readings

/** utime+stime (seconds) of one process, all its threads included; null if it is gone. */
function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime = field 14, stime = field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** `pid` and all its descendants (as of now). */
export function processTree(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = Number(name);
    const pp = parentOf(p);
    if (pp <= 0) continue;
    if (!children.has(pp)) children.set(pp, []);
    children.get(pp).push(p);
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const c of children.get(p) ?? []) stack.push(c);
  }
  return out;
}

/**
 * CPU seconds (user+system, all threads) of a process tree. The tree is re-listed only every few
 * calls (listing /proc costs more than reading a stat file). Children that already exited and
 * were reaped are counted in the parent's cutime/cstime, which this ignores: the processes
 * measured here (node, java) do not fork workers.
 */
export class TreeCpu {
  #pid;
  #pids;
  #calls = 0;
  constructor(pid) {
    this.#pid = pid;
    this.#pids = processTree(pid);
  }
  read() {
    if (++this.#calls % 20 === 0) this.#pids = processTree(this.#pid);
    let sum = 0;
    let any = false;
    for (const p of this.#pids) {
      const s = procCpuSeconds(p);
      if (s !== null) {
        sum += s;
        any = true;
      }
    }
    return any ? sum : null;
  }
}

/** VmHWM (peak resident set, kB) of one process, or null. */
export function peakRssKb(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command to completion; resolves { code, stdout, stderr }. Registered for cleanup too. */
export async function runToEnd(cmd, args, opts = {}) {
  const h = startProcess(cmd, args, opts);
  const info = await h.exited;
  return { ...info, stdout: h.stdout, stderr: h.stderr ?? '' };
}
