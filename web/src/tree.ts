// The Cascade page's data: GET /api/v1/tree (src/server/tree_json.h), every goal as one array under
// named columns, turned into objects once per answer. Parents come before their children and name
// them by position, so depth and ancestry are array lookups: building and filtering the tree of
// 10,000 goals is a few passes over flat arrays.
import type { GoalStatus } from './types';

export interface TreeGoal {
  index: number;  // its position in TreeModel.goals
  id: string;
  title: string;
  parent: number;  // the parent's index, -1 for a root
  depth: number;
  level: 'macro' | 'micro';
  owner: string | null;
  team: string | null;
  holder: string | null;  // its team, else its nearest ancestor's (the team that holds it)
  status: GoalStatus;
  progress: number | null;
  expected: number | null;
  forecast: number | null;
  start: string | null;
  due: string | null;
  kpis: number;  // how many KPIs of its own
  priority: string;
  channel: string | null;
  stage: string | null;
  segment: string | null;
  tags: string[];
  contributors: string[];
  cycle: string | null;
}

export interface TreeReport {
  as_of: string;
  columns: string[];
  goals: unknown[][];
  summary: Partial<Record<GoalStatus, number>>;
}

export interface TreeModel {
  as_of: string;
  goals: TreeGoal[];
  titles: string[];  // each goal's title in lower case, for the search box
}

// Kept per answer (useApi keeps answers per URL): going back to a date shown before costs nothing.
const models = new WeakMap<TreeReport, TreeModel>();

export function treeModel(report: TreeReport): TreeModel {
  const known = models.get(report);
  if (known) return known;
  const at = (name: string) => report.columns.indexOf(name);
  const c = {
    id: at('id'),
    title: at('title'),
    parent: at('parent'),
    level: at('level'),
    owner: at('owner'),
    team: at('team'),
    status: at('status'),
    progress: at('progress'),
    expected: at('expected'),
    forecast: at('forecast'),
    start: at('start'),
    due: at('due'),
    kpis: at('kpis'),
    priority: at('priority'),
    channel: at('channel'),
    stage: at('stage'),
    tags: at('tags'),
    segment: at('segment'),
    contributors: at('contributors'),
    cycle: at('cycle'),
  };
  const goals = new Array<TreeGoal>(report.goals.length);
  const titles = new Array<string>(report.goals.length);
  const none: string[] = [];
  for (let i = 0; i < report.goals.length; ++i) {
    const r = report.goals[i];
    const parent = typeof r[c.parent] === 'number' ? (r[c.parent] as number) : -1;
    const title = r[c.title] as string;
    const team = (r[c.team] as string | null) ?? null;
    goals[i] = {
      index: i,
      id: r[c.id] as string,
      title,
      parent,
      depth: parent >= 0 && parent < i ? goals[parent].depth + 1 : 0,
      level: r[c.level] as 'macro' | 'micro',
      owner: (r[c.owner] as string | null) ?? null,
      team,
      holder: team ?? (parent >= 0 && parent < i ? goals[parent].holder : null),
      status: r[c.status] as GoalStatus,
      progress: (r[c.progress] as number | null) ?? null,
      expected: (r[c.expected] as number | null) ?? null,
      forecast: (r[c.forecast] as number | null) ?? null,
      start: (r[c.start] as string | null) ?? null,
      due: (r[c.due] as string | null) ?? null,
      kpis: (r[c.kpis] as number) ?? 0,
      priority: (r[c.priority] as string) ?? '',
      channel: c.channel >= 0 ? ((r[c.channel] as string | null) ?? null) : null,
      stage: c.stage >= 0 ? ((r[c.stage] as string | null) ?? null) : null,
      segment: c.segment >= 0 ? ((r[c.segment] as string | null) ?? null) : null,
      tags: c.tags >= 0 ? ((r[c.tags] as string[]) ?? none) : none,
      contributors: c.contributors >= 0 ? ((r[c.contributors] as string[]) ?? none) : none,
      cycle: c.cycle >= 0 ? ((r[c.cycle] as string | null) ?? null) : null,
    };
    titles[i] = title.toLowerCase();
  }
  const model = { as_of: report.as_of, goals, titles };
  models.set(report, model);
  return model;
}

export interface TreeFilters {
  teams: Set<string> | null;  // the team and those under it
  owner: string;
  status: string;
  level: string;
  priority: string;
  channel: string;
  segment: string;
  stage: string;
  tag: string;
  cycle: string;
  q: string;  // lower case, trimmed
}

export interface FilteredTree {
  rows: TreeGoal[];  // in tree order
  context: Uint8Array | null;  // per row, 1 when it is shown only as the ancestor of a match
  counts: Partial<Record<GoalStatus, number>>;  // the matches by status
  matched: number;
}

// The rows the filters leave, in tree order: each matching goal and, as context, its ancestors
// (so that the tree still reads top-down). One pass over the goals and at most one visit of each
// ancestor; without a filter the model's own array, nothing copied.
export function filterTree(model: TreeModel, f: TreeFilters): FilteredTree {
  const { goals, titles } = model;
  const counts: Partial<Record<GoalStatus, number>> = {};
  if (!(f.teams || f.owner || f.status || f.level || f.priority || f.channel || f.segment || f.stage || f.tag || f.cycle || f.q)) {
    for (const g of goals) counts[g.status] = (counts[g.status] ?? 0) + 1;
    return { rows: goals, context: null, counts, matched: goals.length };
  }
  const shown = new Uint8Array(goals.length);  // 0 hidden, 1 context, 2 match
  let matched = 0;
  let count = 0;
  for (let i = 0; i < goals.length; ++i) {
    const g = goals[i];
    if (f.teams && (g.holder === null || !f.teams.has(g.holder))) continue;
    if (f.owner && g.owner !== f.owner && !g.contributors.includes(f.owner)) continue;
    if (f.status && g.status !== f.status) continue;
    if (f.level && g.level !== f.level) continue;
    if (f.priority && g.priority !== f.priority) continue;
    if (f.channel && g.channel !== f.channel) continue;
    if (f.segment && g.segment !== f.segment) continue;
    if (f.stage && g.stage !== f.stage) continue;
    if (f.tag && !g.tags.includes(f.tag)) continue;
    if (f.cycle && g.cycle !== f.cycle) continue;
    if (f.q && !titles[i].includes(f.q) && !g.id.includes(f.q)) continue;
    shown[i] = 2;
    ++matched;
    ++count;
    counts[g.status] = (counts[g.status] ?? 0) + 1;
    for (let p = g.parent; p >= 0 && shown[p] === 0; p = goals[p].parent) {
      shown[p] = 1;
      ++count;
    }
  }
  const rows = new Array<TreeGoal>(count);
  const context = new Uint8Array(count);
  for (let i = 0, r = 0; i < goals.length; ++i) {
    if (!shown[i]) continue;
    rows[r] = goals[i];
    context[r++] = shown[i] === 1 ? 1 : 0;
  }
  return { rows, context, counts, matched };
}
