// The shell around every page: a skip link, the header with navigation and the account, and the
// page the URL names. Signed-out visitors get the sign-in page, which returns them where they were.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { onSignedOut } from './api';
import { Link, location, navigate } from './router';
import { loadMe, me, signOut } from './session';
import { startLive } from './live';
import { HomePage } from './pages/home';
import { SignInPage } from './pages/signin';

// A page whose code comes in its own file of the bundle, loaded the first time it is shown: the
// first screen (the Cascade page, or sign-in) then needs only a third of the JavaScript, which a
// busy machine spends hundreds of milliseconds compiling (uPlot alone is a third of the bundle).
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<void> | null = null;
  return function LazyPage(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState<string | null>(null);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      loading ??= load().then((page) => {
        loaded = page;
      });
      loading.then(
        () => live && setReady((n) => n + 1),
        (e: Error) => {
          loading = null;  // the next visit tries again
          if (live) setFailed(e?.message ?? String(e));
        },
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const Page = loaded;
      return <Page {...props} />;
    }
    if (failed) {
      return (
        <p class="error" role="alert">
          This page could not be loaded ({failed}).{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      );
    }
    return <p aria-busy="true">Loading…</p>;
  };
}

const GoalPage = lazyPage<{ id: string }>(() => import('./pages/goal').then((m) => m.GoalPage));
const ReviewPage = lazyPage<object>(() => import('./pages/review').then((m) => m.ReviewPage));
const InsightPage = lazyPage<object>(() => import('./pages/insight').then((m) => m.InsightPage));
const RecognitionPage = lazyPage<object>(() => import('./pages/recognition').then((m) => m.RecognitionPage));
const PlanPage = lazyPage<object>(() => import('./pages/plan').then((m) => m.PlanPage));
const MyWorkPage = lazyPage<object>(() => import('./pages/mywork').then((m) => m.MyWorkPage));

// The pages of the header's navigation, each its own URL.
const pages: { path: string; name: string; page: () => preact.JSX.Element }[] = [
  { path: '/my-work', name: 'My work', page: () => <MyWorkPage /> },
  { path: '/review', name: 'Review', page: () => <ReviewPage /> },
  { path: '/insight', name: 'Insight', page: () => <InsightPage /> },
  { path: '/recognition', name: 'Recognition', page: () => <RecognitionPage /> },
  { path: '/plan', name: 'Plan', page: () => <PlanPage /> },
];

function pathOf(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

onSignedOut.handler = () => {
  if (me.value) me.value = null;
};

function signInUrl(): string {
  const here = location.value.path + (location.value.params.toString() ? '?' + location.value.params : '');
  return here === '/' ? '/signin' : '/signin?next=' + encodeURIComponent(here);
}

export function App() {
  useEffect(() => {
    void loadMe();
  }, []);
  const who = me.value;
  const loc = location.value;

  // Live updates while someone is signed in (live.ts).
  const account = who?.account;
  useEffect(() => (account ? startLive() : undefined), [account]);

  useEffect(() => {
    if (who === null && loc.path !== '/signin') navigate(signInUrl(), true);
    if (who && loc.path === '/signin') {
      const next = loc.params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    }
  }, [who, loc.path]);

  useEffect(() => {
    const named = pages.find((p) => p.path === pathOf(loc.path));
    document.title = loc.path === '/signin' ? 'Sign in · Cascade' : named ? `${named.name} · Cascade` : 'Cascade';
  }, [loc.path]);

  // After a move to another page, keyboard and screen-reader users start at its content, as
  // they would after a page load (not on the first page, nor when only the query changes).
  const firstPath = useRef(loc.path);
  useEffect(() => {
    if (loc.path === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [loc.path]);

  if (who === undefined) return <p class="boot">Loading Cascade…</p>;
  if (who === null || loc.path === '/signin') return <SignInPage />;

  let page;
  const goal = loc.path.match(/^\/goal\/([^/]+)\/?$/);
  const named = pages.find((p) => p.path === pathOf(loc.path));
  if (loc.path === '/' || loc.path === '') page = <HomePage />;
  else if (goal) page = <GoalPage id={decodeURIComponent(goal[1])} />;
  else if (named) page = named.page();
  else page = <NotFound />;

  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link class="brand" href="/">
          Cascade
        </Link>
        <nav aria-label="Pages">
          <Link href="/" aria-current={loc.path === '/' ? 'page' : undefined}>
            Goals
          </Link>
          {pages.map((p) => (
            <Link key={p.path} href={p.path} aria-current={pathOf(loc.path) === p.path ? 'page' : undefined}>
              {p.name}
            </Link>
          ))}
        </nav>
        <div class="account">
          <span>
            {who.account} <span class="role">({who.role})</span>
          </span>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <footer class="bottom">
        <a href="/third-party-licenses.txt">Third-party licences</a>
      </footer>
    </>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Nothing here</h1>
      <p>
        There is no page at <code>{location.value.path}</code>. <Link href="/">Back to the goals</Link>.
      </p>
    </section>
  );
}
