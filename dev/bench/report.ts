/** The bench report: rows (each next to its same-run baseline), the machine, and the Markdown. */
import { readFileSync, statfsSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import type { Stat } from './common.js';

export interface Row {
  /** "1", "1a", … — the measurement it belongs to, then the variant. */
  id: string;
  what: string;
  /** Formatted for the table. */
  result: string;
  baseline: string;
  ratio: string;
  /** Samples behind the result (and the baseline, when different). */
  n: string;
  /** The raw numbers, for latest.json. */
  data: Record<string, unknown>;
}

export interface MeasurementResult {
  id: string;
  title: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  durationMs: number;
  rows: Row[];
  notes: string[];
  /** Anything cleanup could not undo. */
  cleanupProblems: string[];
  details: Record<string, unknown>;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  /** Filesystem type under the temp dir (fsyncs of the state DB land there). */
  tmpFs: string;
  /** 1-minute load average when the run started: other work on the machine skews everything. */
  load: number;
  date: string;
}

const FS_TYPES: Record<number, string> = {
  0x01021994: 'tmpfs',
  0xef53: 'ext4',
  0x9123683e: 'btrfs',
  0x58465342: 'xfs',
  0x794c7630: 'overlayfs',
  0x2fc12fc1: 'zfs',
  0x6969: 'nfs',
};

export function machine(): Machine {
  const list = cpus();
  let tmpFs = 'unknown';
  try {
    const type = statfsSync(tmpdir()).type;
    tmpFs = FS_TYPES[type] ?? `0x${type.toString(16)}`;
  } catch {
    // not on this platform
  }
  let os = `${process.platform} ${release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty?.[1]) os = `${pretty[1]} (${os})`;
  } catch {
    // no os-release
  }
  return {
    cpu: (list[0]?.model ?? 'unknown').trim(),
    cores: list.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os,
    tmpFs,
    load: Math.round((loadavg()[0] ?? NaN) * 100) / 100,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a < 1) return `${v.toFixed(3)} ms`;
  if (a < 10) return `${v.toFixed(2)} ms`;
  if (a < 100) return `${v.toFixed(1)} ms`;
  return `${Math.round(v)} ms`;
}

export function p50p99(s: Stat): string {
  return `${ms(s.p50)} / ${ms(s.p99)}`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function mib(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MiB`;
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function percent(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  const r = (a / b) * 100;
  return `${r < 1 ? r.toFixed(2) : r.toFixed(1)} %`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdown(
  m: Machine,
  results: MeasurementResult[],
  totalMs: number,
  command: string,
): string {
  const lines: string[] = [];
  lines.push(`# Sentinel Companion benchmarks`);
  lines.push('');
  lines.push(
    `${m.date} · ${m.cpu} · ${m.cores} cores · ${m.ramGiB} GiB RAM · Node ${m.node} · ${m.os} · ` +
      `temp dirs on ${m.tmpFs} · load average ${m.load} at start · whole run ${(totalMs / 1000).toFixed(1)} s · \`${command}\``,
  );
  lines.push('');
  lines.push(
    'Every result stands next to a baseline measured in the same run on the same machine; ' +
      'compare ratios across machines, not absolute numbers. Latencies are p50 / p99.',
  );
  lines.push('');
  lines.push('| # | Measurement | Result | Baseline (same run) | Ratio | n |');
  lines.push('| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    if (r.status !== 'ok') {
      const why = `**${r.status === 'skipped' ? 'not measured' : 'failed'}**: ${r.reason ?? ''}`;
      lines.push(`| ${r.id} | ${cell(r.title)} | ${cell(why)} | – | – | – |`);
    }
    for (const row of r.rows)
      lines.push(
        `| ${row.id} | ${cell(row.what)} | ${cell(row.result)} | ${cell(row.baseline)} | ${cell(row.ratio)} | ${cell(row.n)} |`,
      );
  }
  const notes = results.flatMap((r) => [
    ...r.notes.map((n) => `- ${r.id}: ${n}`),
    ...r.cleanupProblems.map((p) => `- ${r.id}: cleanup: ${p}`),
  ]);
  if (notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    lines.push('');
    lines.push(...notes);
  }
  lines.push('');
  return lines.join('\n');
}
