// A KPI's chart (spec §6, Goal): its check-ins as points (the KPI's value as of each check-in's
// day), the target line, the expected line from baseline to target over the goal's window, and the
// forecast line (the least-squares fit of spec §2, Forecast) to the due date. Drawn by uPlot; the
// same numbers are in the table beside it for those who do not see the chart.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { dateToDay } from '../format';
import type { Checkin, Kpi } from '../types';

export interface ChartInput {
  kpi: Kpi;
  checkins: Checkin[];  // oldest first, dated ≤ as of
  start: string | null;
  due: string | null;
  // Reference series drawn beside the KPI (spec §1, benchmark_for), each in the legend.
  benchmarks?: { kpi: Kpi; checkins: Checkin[] }[];
}

export interface Series {
  days: number[];  // distinct check-in days
  values: number[];  // the KPI's value as of each
}

// The KPI's value as of each distinct check-in day (spec §2, KPI value V): the day's last value
// for level, milestone and threshold KPIs; baseline plus the running sum for cumulative ones,
// counting only check-ins on or after the goal's start.
export function valueSeries(kpi: Kpi, checkins: Checkin[], start: string | null): Series {
  const startDay = start ? dateToDay(start) : -Infinity;
  const days: number[] = [];
  const values: number[] = [];
  let sum = kpi.baseline ?? 0;
  for (const c of checkins) {
    const d = dateToDay(c.date);
    let v: number;
    if (kpi.kind === 'cumulative') {
      if (d < startDay) continue;
      sum += c.value;
      v = sum;
    } else {
      v = c.value;
    }
    if (days.length && days[days.length - 1] === d) values[values.length - 1] = v;
    else {
      days.push(d);
      values.push(v);
    }
  }
  return { days, values };
}

// The forecast line's ends: ŷ at the start and at the due date, null when spec §2 gives none.
export function forecastLine(kpi: Kpi, s: Series, start: string | null, due: string | null) {
  if (!start || !due || kpi.kind === 'threshold' || kpi.kind === 'formula') return null;
  const s0 = dateToDay(start);
  const xs: number[] = [];
  const ys: number[] = [];
  s.days.forEach((d, i) => {
    xs.push(d - s0);
    ys.push(s.values[i]);
  });
  if (!s.days.includes(s0)) {
    xs.push(0);
    ys.push(kpi.baseline ?? 0);
  }
  if (xs.length < 2) return null;
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; ++i) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  return { atStart: alpha, atDue: alpha + beta * (dateToDay(due) - s0) };
}

export function cssColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

const DAY_S = 86_400;
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

export function useDarkScheme(): boolean {
  const [dark, setDark] = useState(darkQuery.matches);
  useEffect(() => {
    const on = () => setDark(darkQuery.matches);
    darkQuery.addEventListener('change', on);
    return () => darkQuery.removeEventListener('change', on);
  }, []);
  return dark;
}

export function KpiChart(props: ChartInput & { label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { kpi, checkins, start, due } = props;
  const benchmarks = props.benchmarks ?? [];
  const dark = useDarkScheme();  // a change of colour scheme redraws with the other palette

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const s = valueSeries(kpi, checkins, start);
    const f = forecastLine(kpi, s, start, due);
    const s0 = start ? dateToDay(start) : null;
    const s1 = due ? dateToDay(due) : null;
    const bs = benchmarks.map((b) => valueSeries(b.kpi, b.checkins, start));
    const xsDays = new Set<number>(s.days);
    for (const b of bs) for (const d of b.days) xsDays.add(d);
    if (s0 !== null) xsDays.add(s0);
    if (s1 !== null) xsDays.add(s1);
    const xs = [...xsDays].sort((a, b) => a - b);
    const valueAt = new Map(s.days.map((d, i) => [d, s.values[i]]));
    const base = kpi.baseline ?? 0;
    const inWindow = (d: number) => s0 !== null && s1 !== null && d >= s0 && d <= s1;
    const lerp = (d: number, a: number, b: number) => (s1 === s0 ? b : a + ((b - a) * (d - s0!)) / (s1! - s0!));
    const data: uPlot.AlignedData = [
      xs.map((d) => d * DAY_S),
      xs.map((d) => valueAt.get(d) ?? null),
      xs.map(() => kpi.target),
      xs.map((d) => (inWindow(d) && kpi.kind !== 'threshold' ? lerp(d, base, kpi.target) : null)),
      xs.map((d) => (f && inWindow(d) ? lerp(d, f.atStart, f.atDue) : null)),
      ...bs.map((b) => {
        const at = new Map(b.days.map((d, i) => [d, b.values[i]]));
        return xs.map((d) => at.get(d) ?? null);
      }),
    ];
    const colors = {
      value: cssColor('--chart-value', '#1f5fbf'),
      target: cssColor('--chart-target', '#2e7d32'),
      expected: cssColor('--chart-expected', '#777'),
      forecast: cssColor('--chart-forecast', '#b45309'),
      benchmark: cssColor('--chart-benchmark', '#7c3aed'),
      axis: cssColor('--fg-muted', '#555'),
      grid: cssColor('--border', '#ddd'),
      bg: cssColor('--bg', '#fff'),
    };
    const axis = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 220,
      scales: { x: { time: true } },
      series: [
        {},
        {
          label: kpi.name || kpi.id,
          stroke: colors.value,
          width: 1,
          points: { show: true, size: 7, fill: colors.value },
          spanGaps: true,
        },
        { label: kpi.kind === 'threshold' ? 'threshold' : 'target', stroke: colors.target, width: 1.5, dash: [6, 4], points: { show: false } },
        { label: 'expected', stroke: colors.expected, width: 1.5, dash: [2, 4], spanGaps: true, points: { show: false } },
        { label: 'forecast', stroke: colors.forecast, width: 1.5, dash: [10, 4], spanGaps: true, points: { show: false } },
        // Benchmarks: hollow points on a dotted line (not only another colour), named in the legend.
        ...benchmarks.map((b) => ({
          label: `${b.kpi.name || b.kpi.id} (benchmark)`,
          stroke: colors.benchmark,
          width: 1.5,
          dash: [1, 3],
          spanGaps: true,
          points: { show: true, size: 7, fill: colors.bg, stroke: colors.benchmark, width: 2 },
        })),
      ],
      axes: [axis, axis],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: 220 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [kpi, checkins, benchmarks.map((b) => b.kpi.id + ':' + b.checkins.length).join(','), start, due, dark]);

  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}
