// A goal's status as a word, a shape and a colour (never the colour alone), and its progress bar
// with the expected-progress mark.
import { percent, statusGlyphs, statusLabels } from '../format';
import type { GoalStatus } from '../types';

export function StatusBadge({ status }: { status: GoalStatus }) {
  return (
    <span class={`status status-${status}`}>
      <span class="glyph" aria-hidden="true">
        {statusGlyphs[status] ?? '?'}
      </span>
      {statusLabels[status] ?? status}
    </span>
  );
}

function clampPercent(f: number): string {
  return `${Math.max(0, Math.min(1, f)) * 100}%`;
}

export function ProgressBar(props: { progress: number | null; expected: number | null; status: GoalStatus }) {
  const { progress, expected, status } = props;
  const label =
    (progress === null ? 'not measured' : `progress ${percent(progress)}`) +
    (expected === null ? '' : `, expected ${percent(expected)} by now`);
  return (
    <span class={`bar status-${status}`} role="img" aria-label={label} title={label}>
      {progress !== null && <span class="fill" style={{ width: clampPercent(progress) }} />}
      {expected !== null && <span class="expected" style={{ left: clampPercent(expected) }} />}
    </span>
  );
}
