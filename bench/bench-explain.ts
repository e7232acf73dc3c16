// EXPLAIN ANALYZE of the exact statements the list route runs, captured from its pool.
import type { App } from '../apps/api/src/app.ts';
import type { DatabaseConnection } from '../packages/db/src/index.ts';

/** A captured statement and its plan. */
export interface ExplainedQuery {
  scenario: string;
  query: 'list' | 'count';
  /** Plan nodes, outermost first, with the index each one uses. */
  summary: string;
  executionMs: number;
  text: string;
}

interface CapturedStatement {
  text: string;
  values: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Records every statement sent through `pool` while `run` executes. This is what makes the
 * EXPLAIN honest: it plans the SQL the repository really generated, not a hand-written copy.
 */
async function captureStatements(
  pool: DatabaseConnection['pool'],
  run: () => Promise<unknown>,
): Promise<CapturedStatement[]> {
  const captured: CapturedStatement[] = [];
  const target = pool as unknown as { query: QueryFn };
  const original = target.query;
  target.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args;
    if (typeof config === 'string') captured.push({ text: config, values: asArray(values) });
    else if (typeof config === 'object' && config !== null && 'text' in config) {
      const { text, values: own } = config as { text: string; values?: unknown };
      captured.push({ text, values: asArray(own ?? values) });
    }
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    target.query = original;
  }
  return captured;
}

function asArray(values: unknown): unknown[] {
  return Array.isArray(values) ? values : [];
}

function describePlan(node: PlanNode): string {
  const own = node['Index Name']
    ? `${node['Node Type']} (${node['Index Name']})`
    : node['Node Type'];
  const children = (node.Plans ?? []).map(describePlan);
  return children.length > 0 ? `${own} → ${children.join(' + ')}` : own;
}

/** Runs each scenario's list request once, captures its jobs queries and explains them. */
export async function explainListQueries(
  app: App,
  appPool: DatabaseConnection['pool'],
  explainer: DatabaseConnection,
  scenarios: ReadonlyArray<{ name: string; query: string }>,
  headers: Record<string, string>,
): Promise<ExplainedQuery[]> {
  const explained: ExplainedQuery[] = [];
  for (const scenario of scenarios) {
    const statements = await captureStatements(appPool, () =>
      app.inject({ method: 'GET', url: `/api/v1/notifications/jobs?${scenario.query}`, headers }),
    );
    const jobQueries = statements.filter((s) => /from "jobs"/i.test(s.text));
    if (jobQueries.length === 0) throw new Error(`no jobs query captured for ${scenario.name}`);
    for (const statement of jobQueries) {
      const query = /count\(/i.test(statement.text) ? 'count' : 'list';
      const json = await explainer.pool.query<{ 'QUERY PLAN': Array<Record<string, unknown>> }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
        statement.values,
      );
      const plan = json.rows[0]?.['QUERY PLAN'][0] as
        | { Plan: PlanNode; 'Execution Time': number }
        | undefined;
      if (!plan) throw new Error(`EXPLAIN returned no plan for ${statement.text}`);
      const text = await explainer.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`,
        statement.values,
      );
      explained.push({
        scenario: scenario.name,
        query,
        summary: describePlan(plan.Plan),
        executionMs: plan['Execution Time'],
        text: [statement.text, ...text.rows.map((row) => row['QUERY PLAN'])].join('\n'),
      });
    }
  }
  return explained;
}
