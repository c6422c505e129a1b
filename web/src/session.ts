// Who is signed in. undefined: not known yet (asking /api/v1/me); null: nobody.
import { signal } from '@preact/signals';
import { api, csrfToken } from './api';
import type { Principal, Role } from './types';

export const me = signal<Principal | null | undefined>(undefined);

export async function loadMe(): Promise<void> {
  try {
    const who = await api<Principal>('GET', '/api/v1/me');
    csrfToken.value = who.csrf_token ?? '';
    me.value = who;
  } catch {
    me.value = null;
  }
}

export async function signIn(name: string, password: string): Promise<void> {
  const who = await api<Principal>('POST', '/api/v1/login', { name, password });
  csrfToken.value = who.csrf_token ?? '';
  me.value = who;
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/api/v1/logout');
  } finally {
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
