// Percentiles, the results table and the docs section of a benchmark run.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

/** Latency summary of one scenario over one transport, in milliseconds. */
export interface ScenarioResult {
  scenario: string;
  transport: 'inject' | 'http';
  /** Whether the latency target applies (page 1); deep pages are shown for information. */
  targeted: boolean;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Summarises raw request durations (ms). */
export function summarise(
  scenario: { name: string; targeted: boolean },
  transport: ScenarioResult['transport'],
  samples: readonly number[],
): ScenarioResult {
  return {
    scenario: scenario.name,
    transport,
    targeted: scenario.targeted,
    requests: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
  };
}

/** The machine a run happened on, as the docs quote it. */
export function describeMachine(postgresVersion: string): string {
  const cpuList = cpus();
  const memoryGiB = (totalmem() / 1024 ** 3).toFixed(1);
  return [
    `${cpuList.length} CPUs (nproc) — ${cpuList[0]?.model.trim() ?? 'unknown CPU'}`,
    `${memoryGiB} GiB memory`,
    `Node ${process.version}`,
    `PostgreSQL ${postgresVersion}`,
    // Other work on the machine shows up in the tail latencies; say how busy it was.
    `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min) at the end of the run`,
  ].join(', ');
}

const ms = (value: number) => value.toFixed(2);

function verdict(result: ScenarioResult, targetMs: number): string {
  if (!result.targeted) return '(info)';
  return result.p95 < targetMs ? 'yes' : '**no**';
}

/** Column alignment of {@link markdownTable}. */
export type Alignment = 'left' | 'right' | 'center';

/**
 * A Markdown table padded the way the repository's formatter (Biome) lays tables out, so a
 * generated section needs no reformatting.
 */
export function markdownTable(
  header: readonly string[],
  alignments: readonly Alignment[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (text: string, column: number) => {
    const free = (widths[column] ?? 0) - text.length;
    const alignment = alignments[column] ?? 'left';
    if (alignment === 'right') return ' '.repeat(free) + text;
    if (alignment === 'center') {
      const left = Math.floor(free / 2);
      return ' '.repeat(left) + text + ' '.repeat(free - left);
    }
    return text + ' '.repeat(free);
  };
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => pad(cell, column)).join(' | ')} |`;
  const separator = widths.map((width, column) => {
    const alignment = alignments[column] ?? 'left';
    if (alignment === 'right') return `${'-'.repeat(width - 1)}:`;
    if (alignment === 'center') return `:${'-'.repeat(width - 2)}:`;
    return '-'.repeat(width);
  });
  return [line(header), `| ${separator.join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A Markdown table of the results; the target is judged on p95. */
export function resultsTable(results: readonly ScenarioResult[], targetMs: number): string {
  return markdownTable(
    ['request', 'via', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `p95 < ${targetMs} ms`],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'center'],
    results.map((r) => [
      r.scenario,
      r.transport,
      String(r.requests),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      ms(r.max),
      verdict(r, targetMs),
    ]),
  );
}

export const DOCS_START = '<!-- bench:list-jobs:start -->';
export const DOCS_END = '<!-- bench:list-jobs:end -->';

/** Replaces the text between the benchmark markers of a Markdown file. */
export async function writeDocsSection(path: string, section: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  if (start === -1 || end < start) {
    throw new Error(`${path} has no ${DOCS_START} ... ${DOCS_END} block to replace`);
  }
  const updated = `${text.slice(0, start + DOCS_START.length)}\n${section.trim()}\n${text.slice(end)}`;
  await writeFile(path, updated);
}
