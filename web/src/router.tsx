// Every page has a URL (spec §6): the path picks the page, the query holds its filters. Links and
// navigate() push history entries; the back button pops them (popstate).
import { signal } from '@preact/signals';
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';

export interface Location {
  path: string;
  params: URLSearchParams;
}

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

export const location = signal<Location>(current());

window.addEventListener('popstate', () => {
  location.value = current();
});

// Goes to `url` (path and query); `replace` rewrites the current entry instead of adding one
// (for filters typed letter by letter).
export function navigate(url: string, replace = false) {
  const before = window.location.pathname + window.location.search;
  if (url === before) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  const samePage = new URL(url, window.location.href).pathname === window.location.pathname;
  location.value = current();
  if (!samePage) window.scrollTo(0, 0);
}

// The current URL with `changes` applied to its query (empty values removed).
export function withParams(changes: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams(location.value.params);
  for (const [k, v] of Object.entries(changes)) {
    if (v) params.set(k, v);
    else params.delete(k);
  }
  const q = params.toString();
  return location.value.path + (q ? '?' + q : '');
}

// An <a> that navigates without a reload (a modified or middle click opens a tab, as usual).
export function Link(props: { href: string; children: ComponentChildren } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { href, children, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(e: MouseEvent) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
