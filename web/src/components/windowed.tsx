// A long list drawn a window at a time: only the rows near the viewport exist in the page, placed
// by the sum of the heights before them (each row's height is known up front). The page scrolls
// as usual; short lists are drawn whole, in the normal flow.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

export const WINDOW_FROM = 150;  // lists longer than this are windowed
const OVERSCAN_PX = 600;

export function WindowedList<T>(props: {
  items: T[];
  height: (item: T) => number;
  render: (item: T, index: number) => ComponentChildren;
  label: string;
  class?: string;
}) {
  const { items, height, render, label } = props;
  const ref = useRef<HTMLOListElement>(null);
  const [view, setView] = useState({ top: 0, bottom: 2000 });
  const windowed = items.length > WINDOW_FROM;

  useLayoutEffect(() => {
    if (!windowed) return;
    const update = () => {
      const el = ref.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top;  // the list's top relative to the viewport
      setView({ top: -top - OVERSCAN_PX, bottom: -top + window.innerHeight + OVERSCAN_PX });
    };
    update();
    let frame = 0;
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), update()));
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [windowed, items]);

  // Offsets are recomputed only when the rows or their heights change.
  const offsets = useMemo(() => {
    if (!windowed) return [0];
    const o = new Array<number>(items.length + 1);
    o[0] = 0;
    for (let i = 0; i < items.length; ++i) o[i + 1] = o[i] + height(items[i]);
    return o;
  }, [windowed, items, height]);

  if (!windowed) {
    return (
      <ol class={props.class} aria-label={label}>
        {items.map((item, i) => (
          <li key={i}>{render(item, i)}</li>
        ))}
      </ol>
    );
  }

  const total = offsets[items.length];
  // The first row whose bottom is below the window's top, by binary search.
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) <= view.top) lo = mid + 1;
    else hi = mid;
  }
  const rows = [];
  for (let i = lo; i < items.length && (offsets[i] ?? Infinity) < view.bottom; ++i) {
    rows.push(
      <li
        key={i}
        class="windowed-row"
        aria-setsize={items.length}
        aria-posinset={i + 1}
        style={{ top: `${offsets[i]}px`, height: `${offsets[i + 1] - offsets[i]}px` }}
      >
        {render(items[i], i)}
      </li>,
    );
  }
  return (
    <ol ref={ref} class={`${props.class ?? ''} windowed`} aria-label={label} style={{ height: `${total}px` }}>
      {rows}
    </ol>
  );
}
