// Small uPlot charts for the insight page: bars over categories (r by lag) and a scatter of pairs.
// Colours come from the page's palette, so a change of colour scheme redraws them; the numbers are
// always in a table or in words beside the chart as well.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { cssColor, useDarkScheme } from './kpi_chart';

function axisStyle() {
  const axis = cssColor('--fg-muted', '#555');
  const grid = cssColor('--border', '#ddd');
  return { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

function usePlot(build: (width: number) => { opts: uPlot.Options; data: uPlot.AlignedData }, deps: unknown[]) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useDarkScheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { opts, data } = build(Math.max(240, el.clientWidth));
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: opts.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [...deps, dark]);
  return box;
}

// Bars, one per category, from zero (negative values go down).
export function BarPlot(props: { categories: string[]; values: number[]; name: string; min?: number; max?: number; label: string }) {
  const { categories, values, name, min, max } = props;
  const box = usePlot(
    (width) => {
      const color = cssColor('--chart-value', '#1f5fbf');
      const axis = axisStyle();
      return {
        data: [categories.map((_, i) => i), values],
        opts: {
          width,
          height: 200,
          scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: [min ?? Math.min(0, ...values), max ?? Math.max(0, ...values)] } },
          series: [
            {},
            { label: name, stroke: color, fill: color, width: 1, paths: uPlot.paths.bars!({ size: [0.6, 60] }), points: { show: false } },
          ],
          axes: [{ ...axis, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (Number.isInteger(t) ? categories[t] ?? '' : '')), splits: () => categories.map((_, i) => i) }, axis],
          legend: { show: false },
          cursor: { show: false },
        },
      };
    },
    [categories.join('|'), values.join('|'), name, min, max],
  );
  return <div class="chart small" ref={box} role="img" aria-label={props.label} />;
}

// Points (x, y), no line between them.
export function ScatterPlot(props: { xs: number[]; ys: number[]; xName: string; yName: string; label: string }) {
  const { xs, ys, xName, yName } = props;
  const box = usePlot(
    (width) => {
      const color = cssColor('--chart-value', '#1f5fbf');
      const axis = axisStyle();
      const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
      return {
        data: [order.map((i) => xs[i]), order.map((i) => ys[i])],
        opts: {
          width,
          height: 240,
          scales: { x: { time: false } },
          series: [{ label: xName }, { label: yName, stroke: color, paths: () => null, points: { show: true, size: 8, fill: color } }],
          axes: [axis, axis],
          legend: { show: false },
          cursor: { show: false },
        },
      };
    },
    [xs.join('|'), ys.join('|'), xName, yName],
  );
  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}
