// The shapes of the API's JSON that the dashboard reads (spec §5 `status --json`, §6).

export type Role = 'admin' | 'lead' | 'member' | 'viewer';

export interface Principal {
  account: string;
  role: Role;
  person: string | null;
  team: string | null;
  csrf_token?: string;
}

export type GoalStatus =
  | 'on_track'
  | 'at_risk'
  | 'off_track'
  | 'achieved'
  | 'missed'
  | 'not_started'
  | 'unscheduled'
  | 'unmeasured'
  | 'draft'
  | 'cancelled';

export interface StatusKpi {
  id: string;
  name?: string;
  unit?: string;
  kind?: string;
  value: number | null;
  target?: number | null;
  attainment: number | null;
  progress: number | null;
  forecast: number | null;
  last_checkin: string | null;
  stale: boolean;
  benchmark_for?: string | null;
}

export interface StatusGoal {
  id: string;
  title: string;
  level: 'macro' | 'micro';
  parent: string | null;
  owner: string | null;
  team: string | null;
  start: string | null;
  due: string | null;
  state: string;
  progress: number | null;
  expected: number | null;
  forecast: number | null;
  status: GoalStatus;
  kpis: StatusKpi[];
  contributors?: string[];
  supports?: string[];
  supported_by?: string[];
  cycle?: string | null;
  confidence?: Confidence | null;
  disagrees?: boolean;
  disagreement?: number | null;
  spent?: number;
  budget_left?: number | null;
  priority?: string;
  channel?: string;
  segment?: string;
  stage?: string | null;
  tags?: string[];
}

export interface StatusReport {
  as_of: string;
  goals: StatusGoal[];
  summary: Partial<Record<GoalStatus, number>>;
}

export interface Team {
  id: string;
  name: string;
  parent: string | null;
}

export interface Person {
  id: string;
  name: string;
  team: string | null;
  role: Role;
}

export interface Kpi {
  id: string;
  goal: string;
  name: string;
  unit: string;
  kind: 'level' | 'cumulative' | 'milestone' | 'threshold' | 'formula';
  baseline: number | null;
  target: number;
  direction: 'above' | 'below' | null;
  benchmark_for?: string | null;
  formula?: string;
  cadence_days?: number;
  weight?: number;
  source?: string;
  version: number;
}

export interface Goal {
  id: string;
  title: string;
  description: string;
  level: 'macro' | 'micro';
  parent: string | null;
  owner: string | null;
  team: string | null;
  start: string | null;
  due: string | null;
  priority: string;
  channel: string;
  segment?: string;
  stage?: string | null;
  budget_min?: number;
  budget_max?: number | null;
  state: string;
  tags: string[];
  contributors?: string[];
  supports?: string[];
  version: number;
}

export type Confidence = 'on_track' | 'at_risk' | 'off_track';

export interface Checkin {
  kpi: string;
  date: string;
  value: number;
  note: string;
  author: string | null;
  confidence?: Confidence | null;
  seq?: number;
}

export interface Spend {
  seq: number;
  goal: string;
  date: string;
  amount: number;
  note: string;
  author: string | null;
}

export interface Comment {
  seq?: number;
  goal: string;
  author: string | null;
  date: string;
  text: string;
  kind?: 'comment' | 'lesson' | 'decision';
}

// A child goal as its parent's detail shows it: what it adds to the parent's progress.
export interface ChildGoal {
  id: string;
  state: string;
  weight: number;
  progress: number | null;
  status: GoalStatus;
}

export interface GoalDetail {
  goal: Goal;
  status: StatusGoal;
  kpis: Kpi[];
  children: string[];
  child_goals?: ChildGoal[];
  // The title of each goal the detail names by id (parent, children, supports, supported_by).
  titles?: Record<string, string>;
  actions: Action[];
  comments: Comment[];
  spend?: Spend[];
}

export interface Action {
  id: string;
  goal: string;
  title: string;
  owner: string | null;
  due: string | null;
  done: boolean;
  depends_on: string[];
  version: number;
}

// One line of `history --json`: who changed what, when.
export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string | null;
  kind: string;
  entity: string | null;
  op: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

// A planning period (spec §1): `GET /api/v1/cycles` lists these.
export interface Cycle {
  id: string;
  name: string;
  start: string;
  end: string;
  state: 'open' | 'closed';
  version: number;
}

// `GET /api/v1/cycles/{id}` (`cycle show --json`) and each cycle of `GET /api/v1/cycles`: with
// its score, its active goals by status (statuses met only) and their number; a closed cycle's as
// of its end.
export interface CycleDetail extends Cycle {
  score: number | null;
  counts: Partial<Record<GoalStatus, number>>;
  goals: number;
  drafts?: number;  // its draft goals (a carry-over's copies), counted apart from the active
}

// `POST /api/v1/goals/{id}/copy` (`goal copy`): the drafts made (the copy first, then its
// descendants) as the goal list shows them, and their KPIs as stored.
export interface GoalCopy {
  as_of: string;
  cycle: string;
  goals: StatusGoal[];
  kpis: Kpi[];
}
