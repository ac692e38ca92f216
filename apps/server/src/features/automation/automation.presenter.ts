/** The JSON shapes of rules, runs, macros and canned responses. */
import type { Action, Condition, Trigger } from './automation.schema.js';

export const RULE_COLUMNS = ['id', 'name', 'description', 'enabled', 'trigger', 'match', 'conditions', 'actions', 'position', 'created_at', 'updated_at'] as const;

export interface RuleRow {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  trigger: Trigger;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
  position: number;
  created_at: Date;
  updated_at: Date;
}

export function presentRule(r: RuleRow, lastRun: { outcome: string; created_at: Date } | null) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    enabled: r.enabled,
    trigger: r.trigger,
    match: r.match,
    conditions: r.conditions,
    actions: r.actions,
    position: r.position,
    last_run: lastRun ? { outcome: lastRun.outcome, created_at: lastRun.created_at.toISOString() } : null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export interface ActionOutcome {
  type: string;
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
}

export function presentRun(r: { id: string; conversation_id: string | null; trigger: string; outcome: 'done' | 'skipped' | 'failed'; actions: unknown[]; error: string | null; depth: number; created_at: Date }) {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    trigger: r.trigger,
    outcome: r.outcome,
    actions: r.actions as ActionOutcome[],
    error: r.error,
    depth: r.depth,
    created_at: r.created_at.toISOString(),
  };
}

export const MACRO_COLUMNS = ['id', 'name', 'owner_user_id', 'actions', 'created_at', 'updated_at'] as const;
export function presentMacro(r: { id: string; name: string; owner_user_id: string | null; actions: unknown[]; created_at: Date; updated_at: Date }) {
  return { id: r.id, name: r.name, shared: r.owner_user_id === null, actions: r.actions as Action[], created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() };
}

export const CANNED_COLUMNS = ['id', 'shortcut', 'title', 'body', 'owner_user_id', 'created_at', 'updated_at'] as const;
export function presentCanned(r: { id: string; shortcut: string; title: string; body: string; owner_user_id: string | null; created_at: Date; updated_at: Date }, rendered?: string) {
  return {
    id: r.id,
    shortcut: r.shortcut,
    title: r.title,
    body: r.body,
    shared: r.owner_user_id === null,
    ...(rendered !== undefined ? { rendered } : {}),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
