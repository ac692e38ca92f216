// The conversation list's filters live in the URL (?assignee=me&status=open…), so a reload or a
// shared link keeps them. Only values that differ from the defaults are written.
import type { ConversationStatus } from '../../api/types';

export type AssigneeFilter = 'me' | 'unassigned' | 'any';
export type StatusFilter = ConversationStatus | 'all';
export type SortOrder = 'newest' | 'oldest' | 'waiting' | 'sla' | 'mood';
/** A mood, or upset: angry, frustrated or getting worse (api/mood.ts). */
export type MoodFilter = 'upset' | 'angry' | 'frustrated' | 'neutral' | 'happy';
export const moodFilters: readonly MoodFilter[] = ['upset', 'angry', 'frustrated', 'neutral', 'happy'];

export interface Filters {
  assignee: AssigneeFilter;
  status: StatusFilter;
  inbox_id: string | null;
  team_id: string | null;
  tag: string | null;
  mood: MoodFilter | null;
  sort: SortOrder;
}

export const defaultFilters: Filters = { assignee: 'any', status: 'all', inbox_id: null, team_id: null, tag: null, mood: null, sort: 'newest' };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The server's tag rule: one word, no spaces, commas, quotes or angle brackets, at most 40 characters. */
export const tagPattern = /^[^\s<>"'`,]{1,40}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function readFilters(params: URLSearchParams): Filters {
  const id = (name: string) => {
    const v = params.get(name);
    return v && uuid.test(v) ? v : null;
  };
  const tag = normaliseTag(params.get('tag') ?? '');
  return {
    assignee: oneOf(params.get('assignee'), ['me', 'unassigned', 'any'], 'any'),
    status: oneOf(params.get('status'), ['open', 'pending', 'snoozed', 'resolved', 'all'], 'all'),
    inbox_id: id('inbox_id'),
    team_id: id('team_id'),
    tag: tag && tagPattern.test(tag) ? tag : null,
    mood: moodFilters.includes(params.get('mood') as MoodFilter) ? (params.get('mood') as MoodFilter) : null,
    sort: oneOf(params.get('sort'), ['newest', 'oldest', 'waiting', 'sla', 'mood'], 'newest'),
  };
}

/** The filters as search parameters: the same names and values the API takes. */
export function filterParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(defaultFilters) as (keyof Filters)[]) {
    const value = filters[key];
    if (value !== null && value !== defaultFilters[key]) params.set(key, value);
  }
  return params;
}

/** How many filters differ from the defaults, not counting the sort order. */
export function activeFilterCount(filters: Filters): number {
  return (['assignee', 'status', 'inbox_id', 'team_id', 'tag', 'mood'] as const).filter((k) => filters[k] !== defaultFilters[k]).length;
}

/** "#Billing " → "billing": tags are stored lower-case, without a leading #. */
export function normaliseTag(value: string): string {
  return value.trim().replace(/^#+/, '').toLowerCase();
}
