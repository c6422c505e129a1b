// A wide table on a narrow screen scrolls sideways inside its box instead of widening the page;
// the box takes keyboard focus so that it can be scrolled without a pointer.
import type { ComponentChildren } from 'preact';

export function Scroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
