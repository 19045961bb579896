// The machine description, the aggregation of runs into medians, and the two outputs:
// bench/results/<date>-<host>.json (everything) and bench/results/latest.md (the table).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, hostname, loadavg, release, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fmtRate } from './progress.mjs';
import { median, stddev } from './stats.mjs';

export const SYSTEMS = ['sluice', 'kc', 'ceiling'];
export const SYSTEM_TITLES = { sluice: 'sluice', kc: 'Apache Kafka Connect', ceiling: 'native-bench ceiling' };

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, ...opts });
  return r.error ? null : `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

export function machineInfo({ root, javaBin, bootstrap, coLocated, librdkafka }) {
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const javaV = sh(javaBin, ['-version'])?.split('\n')[0] ?? null;
  const commit = sh('git', ['rev-parse', 'HEAD'], { cwd: root });
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // What else was busy when the suite started: the machine is shared (other brokers, builds).
  const top = sh('ps', ['-eo', 'pid,pcpu,rss,args', '--sort=-pcpu', '--no-headers'])
    ?.split('\n')
    .slice(0, 8)
    .map((l) => l.trim().replace(/\s+/, ' ').slice(0, 160));
  return {
    host: hostname(),
    cpu_model: cpuModel,
    cores: cpus().length,
    available_parallelism: availableParallelism(),
    ram_gb: +(totalmem() / 2 ** 30).toFixed(1),
    ram_free_gb_at_start: +(freemem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    java: javaV,
    librdkafka,
    kafka_version: '4.3.1',
    sluice_version: pkg.version,
    sluice_commit: commit,
    sluice_worktree_dirty: dirty ? dirty.split('\n').length : 0,
    bootstrap,
    broker_co_located: coLocated,
    loadavg_at_start: loadavg().map((x) => +x.toFixed(2)),
    busiest_processes_at_start: top ?? [],
  };
}

/** Per scenario and system: the medians and sds of the successful runs. */
export function aggregate(scenarioResults) {
  for (const sc of scenarioResults) {
    sc.summary = {};
    for (const sys of SYSTEMS) {
      const cell = sc.systems[sys];
      if (!cell) continue;
      if (cell.skipped) {
        sc.summary[sys] = { skipped: cell.skipped };
        continue;
      }
      const ok = cell.runs.filter((r) => r.ok);
      const pick = (k) => ok.map((r) => r[k]).filter((x) => x != null);
      sc.summary[sys] = {
        runs: cell.runs.length,
        ok_runs: ok.length,
        errors: cell.runs.filter((r) => !r.ok).map((r) => r.error),
        records_per_sec: { median: median(pick('records_per_sec')), sd: stddev(pick('records_per_sec')) },
        mb_per_sec: { median: median(pick('mb_per_sec')), sd: stddev(pick('mb_per_sec')) },
        cpu_s_per_million: { median: median(pick('cpu_s_per_million')), sd: stddev(pick('cpu_s_per_million')) },
        broker_cpu_s_per_million: { median: median(pick('broker_cpu_s_per_million')) },
        peak_rss_kb: { median: median(pick('peak_rss_kb')), max: pick('peak_rss_kb').length ? Math.max(...pick('peak_rss_kb')) : null },
        startup_s: { median: median(pick('startup_s')) },
        e2e_records_per_sec: { median: median(pick('e2e_records_per_sec')) },
        window_methods: [...new Set(ok.map((r) => r.window?.method))],
        note: cell.runs[0]?.note,
      };
    }
    const s = sc.summary;
    const m = (sys) => s[sys]?.records_per_sec?.median ?? null;
    sc.summary.ratio_sluice_kc = m('sluice') && m('kc') ? m('sluice') / m('kc') : null;
    sc.summary.ratio_sluice_ceiling = m('sluice') && m('ceiling') ? m('sluice') / m('ceiling') : null;
  }
}

export function resultFile(dir, date, host) {
  const base = `${date}-${host.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  let file = join(dir, `${base}.json`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `${base}-${i}.json`);
  return file;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

function rateCell(sum) {
  if (!sum) return '—';
  if (sum.skipped) return `*${sum.skipped}*`;
  if (!sum.ok_runs) return `**failed**: ${(sum.errors[0] ?? '').slice(0, 140)}`;
  const r = sum.records_per_sec;
  const failed = sum.runs - sum.ok_runs;
  let cell = `**${fmtRate(r.median)}/s** ± ${fmtRate(r.sd)} (${sum.mb_per_sec.median.toFixed(1)} MB/s)`;
  if (sum.window_methods.includes('coarse')) cell += ' ‡';
  if (failed) cell += ` — ${failed} of ${sum.runs} runs failed`;
  return cell;
}

const ratio = (x) => (x == null ? '—' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);
const num = (x, d = 2) => (x == null ? '—' : x.toFixed(d));
const mb = (kb) => (kb == null ? '—' : String(Math.round(kb / 1024)));

export function markdown(report) {
  const mc = report.machine;
  const L = [];
  L.push('# sluice benchmark: latest results');
  L.push('');
  L.push(
    `${report.started_at.slice(0, 16).replace('T', ' ')} UTC on \`${mc.host}\`: ${mc.cpu_model}, ${mc.cores} cores, ${mc.ram_gb} GB RAM, Linux ${mc.kernel}; ` +
      `Node ${mc.node}, ${mc.java}, librdkafka ${mc.librdkafka}; Apache Kafka ${mc.kafka_version} broker ` +
      `${mc.broker_co_located ? '**co-located** on the same machine (it competes for the same cores)' : `at ${mc.bootstrap}`}. ` +
      `sluice ${mc.sluice_version} @ ${String(mc.sluice_commit).slice(0, 10)}${mc.sluice_worktree_dirty ? ` (+${mc.sluice_worktree_dirty} uncommitted files)` : ''}` +
      `${mc.sluice_dist_built_at ? `, dist/ built ${mc.sluice_dist_built_at.slice(0, 16).replace('T', ' ')} UTC` : ''}.`,
  );
  for (const w of report.warnings ?? []) {
    L.push('');
    L.push(`**Warning:** ${w}.`);
  }
  L.push('');
  L.push(
    `Mode: **${report.options.quick ? 'quick (small topics: indicative only, noisy)' : 'full'}**; ${report.options.runs} runs per system, interleaved (sluice, KC, ceiling, then again); ` +
      `median ± sample sd of the runs. Load average (1/5/15 min) at start ${mc.loadavg_at_start.join(' / ')}, at end ${report.loadavg_at_end?.join(' / ') ?? '?'}` +
      `${mc.loadavg_at_start[0] > 1 ? ' — other work was running on this machine, so expect more spread than on an idle one' : ''}.`,
  );
  L.push('');
  L.push('## Throughput (records/s)');
  L.push('');
  L.push('| scenario | sluice | Apache Kafka Connect | native-bench ceiling | sluice/KC | sluice/ceiling |');
  L.push('|---|---|---|---|---|---|');
  for (const sc of report.scenarios) {
    const s = sc.summary ?? {};
    const head = sc.skipped ? `${sc.name}` : `${sc.name} (${fmtInt(sc.records)} × ${sc.value_bytes} B)`;
    if (sc.skipped) {
      L.push(`| ${head} | *${sc.skipped}* | — | — | — | — |`);
      continue;
    }
    L.push(`| ${head} | ${rateCell(s.sluice)} | ${rateCell(s.kc)} | ${rateCell(s.ceiling)} | ${ratio(s.ratio_sluice_kc)} | ${ratio(s.ratio_sluice_ceiling)} |`);
  }
  if (report.scenarios.some((sc) => Object.values(sc.summary ?? {}).some((x) => x?.window_methods?.includes('coarse')))) {
    L.push('');
    L.push('‡ at least one run was too short for a steady-state window and was timed from first to last progress point (see README).');
  }
  L.push('');
  L.push('## Efficiency');
  L.push('');
  L.push('| scenario | CPU-s per 1M records (sluice / KC / ceiling) | broker CPU-s per 1M meanwhile (sluice / KC / ceiling) | peak RSS MB (sluice / KC / ceiling) | startup s to first progress (sluice / KC) | end-to-end records/s incl. startup (sluice / KC) |');
  L.push('|---|---|---|---|---|---|');
  for (const sc of report.scenarios) {
    if (sc.skipped) continue;
    const s = sc.summary;
    const g = (sys, f) => (s[sys] && !s[sys].skipped && s[sys].ok_runs ? f(s[sys]) : '—');
    L.push(
      `| ${sc.name} | ${['sluice', 'kc', 'ceiling'].map((k) => g(k, (x) => num(x.cpu_s_per_million.median))).join(' / ')} | ` +
        `${['sluice', 'kc', 'ceiling'].map((k) => g(k, (x) => num(x.broker_cpu_s_per_million.median))).join(' / ')} | ` +
        `${['sluice', 'kc', 'ceiling'].map((k) => g(k, (x) => mb(x.peak_rss_kb.median))).join(' / ')} | ` +
        `${['sluice', 'kc'].map((k) => g(k, (x) => num(x.startup_s.median, 1))).join(' / ')} | ` +
        `${['sluice', 'kc'].map((k) => g(k, (x) => fmtRate(x.e2e_records_per_sec.median))).join(' / ')} |`,
    );
  }
  const lat = report.latency;
  if (lat && !lat.skipped) {
    L.push('');
    L.push(`## End-to-end latency at half of peak rate (100 B records, ${lat.seconds} s of traffic per run)`);
    L.push('');
    L.push('| system | rate (records/s) | p50 ms | p99 ms | p99.9 ms | max ms |');
    L.push('|---|---|---|---|---|---|');
    for (const [sys, e] of Object.entries(lat.systems)) {
      if (e.skipped) L.push(`| ${SYSTEM_TITLES[sys]} | *${e.skipped}* | | | | |`);
      else if (e.p50_ms == null) L.push(`| ${SYSTEM_TITLES[sys]} | ${fmtInt(e.rate)} | failed: ${e.runs.map((r) => r.error).join('; ').slice(0, 200)} | | | |`);
      else L.push(`| ${SYSTEM_TITLES[sys]} | ${fmtInt(e.rate)} | ${e.p50_ms} | ${e.p99_ms} | ${e.p999_ms} | ${e.max_ms} |`);
    }
    L.push('');
    L.push(
      'Each worker runs a latency-recording null sink (sluice: NullSink with `latency.file`; Kafka Connect: `bench/peer/java` LatencySink) on an empty 6-partition ' +
        'topic; native-bench then produces at half of that worker\'s median sink-null-100B rate (linger.ms=1, acks=1, CreateTime set at produce). ' +
        'Latency = arrival at the sink − record timestamp, 1 ms resolution; median of the runs\' percentiles.',
    );
  } else if (lat?.skipped) {
    L.push('');
    L.push(`Latency: not measured (${lat.skipped}).`);
  }
  L.push('');
  L.push('## What ran');
  L.push('');
  for (const sc of report.scenarios) {
    if (sc.skipped) {
      L.push(`- **${sc.name}**: skipped (${sc.skipped}).`);
      continue;
    }
    const parts = SYSTEMS.map((sys) => {
      const s = sc.summary[sys];
      if (!s) return null;
      if (s.skipped) return `${SYSTEM_TITLES[sys]}: skipped (${s.skipped})`;
      let t = `${SYSTEM_TITLES[sys]}: ${s.note}`;
      if (s.errors.length) t += ` — failures: ${[...new Set(s.errors)].map((e) => `"${e.slice(0, 200)}"`).join('; ')}`;
      return t;
    }).filter(Boolean);
    L.push(`- **${sc.name}** — ${sc.what}. ${parts.join('. ')}.`);
  }
  L.push('');
  L.push(
    '**How figures are measured** (details in `bench/README.md`): sinks — the connector group\'s committed offsets are polled every ' +
      `${report.options.poll_ms} ms; the rate is taken between the first commit at or past 5 % of the topic and the last commit before the end, which leaves out startup, ` +
      'group join and the idle wait for the final commit (offset.flush.interval.ms=1000 on both workers). Source and mirror — the same on the destination topic\'s ' +
      'high watermarks, 5 % → 95 %. CPU = utime+stime of the worker\'s process tree (/proc) over the busy part of the same window, per million records ' +
      '(sluice\'s commits trail its processing by about one interval, so the idle tail is left out); broker CPU likewise; RSS = VmHWM of the worker ' +
      'process. The ceiling is native-bench (librdkafka alone, tuned consumer/producer settings), timed by itself from its first message to its last. ' +
      'MB/s counts value bytes only.',
  );
  L.push('');
  L.push(`Raw figures of every run: \`${report.json_file}\`.`);
  L.push('');
  return L.join('\n');
}

/** <date>-<host>.json, the same table as <date>-<host>.md beside it, and latest.md. */
export function writeOutputs(report, dir) {
  const base = report.json_file.split('/').pop().replace(/\.json$/, '');
  writeFileSync(join(dir, `${base}.json`), JSON.stringify(report, null, 2) + '\n');
  const md = markdown(report);
  writeFileSync(join(dir, `${base}.md`), md);
  writeFileSync(join(dir, 'latest.md'), md);
}
