/**
 * A help center's look: a few colours and a logo. Colours are `#rgb`/`#rrggbb` only and the logo
 * an https:// URL, checked when saved and again when a page is rendered, so nothing stored can
 * break out of the stylesheet or an attribute (SECURITY 11). The text colour on the brand colour
 * is chosen for contrast, so an admin cannot make the header unreadable.
 */
export interface Theme {
  primary_color: string;
  header_background: string;
  logo_url: string | null;
  /** Where "contact us" points when a search finds nothing (https:// or mailto:). */
  contact_url: string | null;
}

export const DEFAULT_THEME: Theme = { primary_color: '#4f46e5', header_background: '#1e1b4b', logo_url: null, contact_url: null };

export const COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

export function isLogoUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && !u.username && !u.password && value.length <= 500;
  } catch {
    return false;
  }
}

export function isContactUrl(value: string): boolean {
  if (value.length > 500) return false;
  if (/^mailto:[^\s<>"']+@[^\s<>"']+$/i.test(value)) return true;
  return isLogoUrl(value);
}

/** The stored theme with anything invalid replaced by the default. */
export function themeOf(stored: unknown): Theme {
  const t = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const colour = (v: unknown, fallback: string) => (typeof v === 'string' && COLOUR.test(v) ? v.toLowerCase() : fallback);
  return {
    primary_color: colour(t.primary_color, DEFAULT_THEME.primary_color),
    header_background: colour(t.header_background, DEFAULT_THEME.header_background),
    logo_url: typeof t.logo_url === 'string' && isLogoUrl(t.logo_url) ? t.logo_url : null,
    contact_url: typeof t.contact_url === 'string' && isContactUrl(t.contact_url) ? t.contact_url : null,
  };
}

function rgb(hex: string): [number, number, number] {
  const h = hex.length === 4 ? hex.slice(1).replace(/./g, '$&$&') : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** Black or white, whichever reads better on the background. */
export function textOn(background: string): string {
  return contrast(background, '#ffffff') >= contrast(background, '#111827') ? '#ffffff' : '#111827';
}

/** The brand colour as used for links on a white page: darkened until it passes 4.5:1. */
export function linkColour(primary: string): string {
  let [r, g, b] = rgb(primary);
  for (let i = 0; i < 20 && contrast(`#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`, '#ffffff') < 4.5; i++) {
    [r, g, b] = [r, g, b].map((c) => Math.floor(c * 0.85)) as [number, number, number];
  }
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** The workspace's stylesheet: custom properties only, from validated colours. */
export function themeCss(theme: Theme): string {
  const t = themeOf(theme);
  return `:root{--hc-primary:${t.primary_color};--hc-on-primary:${textOn(t.primary_color)};--hc-link:${linkColour(t.primary_color)};--hc-header:${t.header_background};--hc-on-header:${textOn(t.header_background)}}\n`;
}
