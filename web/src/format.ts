// How numbers, dates and statuses read on screen, as the CLI prints them.
import type { GoalStatus } from './types';

// Percentages are truncated toward zero in every view (spec §5): 99.7% reads 99%. Rates that
// live below a few percent (a funnel's conversion, an experiment's arms) take `decimals`, as the
// CLI prints them (PercentNumber in core/percent.cc): 0.052% reads 0.05%, not 0%.
export function percent(fraction: number | null | undefined, decimals = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const scale = 10 ** decimals;
  const scaled = fraction * 100 * scale;
  // Products like 0.29·100 land a hair below the number they stand for: nudge them back.
  const nudge = Math.abs(scaled) * 1e-12 + 1e-9;
  const truncated = Math.trunc(scaled < 0 ? scaled - nudge : scaled + nudge) / scale;
  return `${(truncated === 0 ? 0 : truncated).toFixed(decimals)}%`;
}

// A change of progress in percentage points, as the CLI's review prints it (PointsText in
// io/render_text.cc): one decimal, truncated toward zero, "+0.9 pts", "−3.2 pts", "±0 pts".
export function pointsChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '—';
  const v = Math.trunc(Math.abs(change) * 1000 + 1e-9) / 10;
  if (v === 0) return '±0 pts';
  return `${change > 0 ? '+' : '−'}${v.toFixed(1)} pts`;
}

export const statusLabels: Record<GoalStatus, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  off_track: 'off track',
  achieved: 'achieved',
  missed: 'missed',
  not_started: 'not started',
  unscheduled: 'unscheduled',
  unmeasured: 'unmeasured',
  draft: 'draft',
  cancelled: 'cancelled',
};
export const statusOrder = Object.keys(statusLabels) as GoalStatus[];

// A shape beside the word, so that status never rests on colour alone.
export const statusGlyphs: Record<GoalStatus, string> = {
  on_track: '●',
  at_risk: '▲',
  off_track: '✖',
  achieved: '★',
  missed: '■',
  not_started: '○',
  unscheduled: '◇',
  unmeasured: '·',
  draft: '✎',
  cancelled: '⊘',
};

// Below 1, two significant digits, as the CLI's FormatNumber (io/render_text.cc): a click-through
// rate of 0.0045 reads 0.0045, not 0.
export function number(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  let text: string;
  if (a >= 1000 || Number.isInteger(v)) {
    text = v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  } else {
    const decimals = a >= 1 ? 2 : Math.min(8, 1 - Math.floor(Math.log10(a)));
    text = v.toFixed(decimals).replace(/\.?0+$/, '');
    if (text === '-0') text = '0';
    // 999.999 rounds up to 1000: grouped, as every number from 1,000 on is.
    if (Math.abs(Number(text)) >= 1000) text = Number(text).toLocaleString('en-US');
  }
  if (!unit) return text;
  return unit === '%' ? text + '%' : `${text} ${unit}`;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

const dayMs = 86_400_000;

export function dateToDay(iso: string): number {
  return Math.round(Date.parse(iso + 'T00:00:00Z') / dayMs);
}

export function dayToDate(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

export function isDate(s: string | null): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z'));
}

// A field's value as a diff or the history shows it: exact, "(none)" when empty.
export function fieldValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(none)';
  if (Array.isArray(v)) return v.length ? v.map(fieldValue).join(', ') : '(none)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// Goals by status in words, in the statuses' order: "2 on track, 1 off track" ("none" when empty).
export function countsInWords(counts: Partial<Record<GoalStatus, number>> | null | undefined): string {
  const parts = statusOrder.filter((s) => counts?.[s]).map((s) => `${counts![s]} ${statusLabels[s]}`);
  return parts.length ? parts.join(', ') : 'none';
}
