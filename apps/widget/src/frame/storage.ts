/**
 * localStorage that never throws: a browser blocking storage in third-party frames still gets a
 * working chat, only without history across reloads.
 */
const memory = new Map<string, string>();

export function load<T>(key: string, fallback: T): T {
  let raw: string | null | undefined;
  try {
    raw = localStorage.getItem(key);
  } catch {
    raw = memory.get(key);
  }
  if (raw == null) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  const raw = JSON.stringify(value);
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, raw);
  } catch {
    if (value == null) memory.delete(key);
    else memory.set(key, raw);
  }
}
