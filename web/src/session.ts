// Who is signed in. undefined: not known yet (asking /api/v1/me); null: nobody.
import { signal } from '@preact/signals';
import { api, csrfToken } from './api';
import { hadSessionHint, kMeUrl, kSessionHint, takeEarly } from './early';
import type { Principal, Role } from './types';

export const me = signal<Principal | null | undefined>(undefined);

// A hint, kept in this browser, that it had a session: a page loaded afresh then asks for its data
// at once, beside /api/v1/me, instead of after it (main.tsx, early.ts). Never a secret: the
// session itself is the HttpOnly cookie.
const kHint = kSessionHint;
export const hadSession = hadSessionHint;
function rememberSession(yes: boolean) {
  try {
    if (yes) localStorage.setItem(kHint, '1');
    else localStorage.removeItem(kHint);
  } catch {
    // storage refused (a private window): no hint, only a slower start
  }
}

export async function loadMe(): Promise<void> {
  try {
    // The request boot.ts started (early.ts), if it is still to be used.
    const who = ((await takeEarly(kMeUrl)) as Principal | undefined) ?? (await api<Principal>('GET', kMeUrl));
    csrfToken.value = who.csrf_token ?? '';
    rememberSession(true);
    me.value = who;
  } catch {
    rememberSession(false);
    me.value = null;
  }
}

export async function signIn(name: string, password: string): Promise<void> {
  const who = await api<Principal>('POST', '/api/v1/login', { name, password });
  rememberSession(true);
  csrfToken.value = who.csrf_token ?? '';
  me.value = who;
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/api/v1/logout');
  } finally {
    rememberSession(false);
    csrfToken.value = '';
    me.value = null;
  }
}

// Whether the role may record check-ins at all (the API still decides which KPIs: spec §6).
export function mayCheckIn(role: Role | undefined): boolean {
  return role === 'admin' || role === 'lead' || role === 'member';
}

// Whether the role may add goals and KPIs or apply a plan (leads within their teams: the API decides).
export function mayEditPlan(role: Role | undefined): boolean {
  return role === 'admin' || role === 'lead';
}

// Whether the role may record a review (admins any, leads their teams': spec §6).
export function mayRecordReview(role: Role | undefined): boolean {
  return role === 'admin' || role === 'lead';
}
