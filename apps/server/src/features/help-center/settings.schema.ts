/** The help center settings' API shape and the checks the schema cannot express. */
import { Type, type Static } from '@sinclair/typebox';
import type { Config } from '../../core/config.js';
import { AppError } from '../../core/errors.js';
import { Nullable, Obj, Timestamp } from '../../core/http/schema.js';
import { helpCenterBase, type HelpCenter } from '../kb/help-center-address.js';
import { isContactUrl, isLogoUrl, themeOf } from './theme.js';

export const Locale = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', maxLength: 12, description: 'A language tag such as en, de or pt-BR' });
const Colour = Type.String({ pattern: '^#(?:[0-9a-fA-F]{3}){1,2}$', description: '#rgb or #rrggbb' });
const Domain = Type.String({
  pattern: '^(?=.{1,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$',
  description: 'A host name whose requests show this help center (help.shop.example); point its DNS at Rapport',
});

const ThemeShape = {
  primary_color: Colour,
  header_background: Colour,
  logo_url: Nullable(Type.String({ maxLength: 500, description: 'https:// address of the logo' })),
  contact_url: Nullable(Type.String({ maxLength: 500, description: 'Where "contact us" points when a search finds nothing (https:// or mailto:)' })),
};

export const HelpCenterSettings = Type.Object({
  name: Type.String(),
  slug: Type.String(),
  enabled: Type.Boolean(),
  url: Type.String({ description: 'The public address of the help center' }),
  custom_domain: Nullable(Type.String()),
  default_locale: Type.String(),
  locales: Type.Array(Type.String()),
  theme: Type.Object(ThemeShape),
  updated_at: Timestamp,
});

export const HelpCenterPatch = Obj({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  slug: Type.Optional(Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$', description: 'The address part after /help/' })),
  enabled: Type.Optional(Type.Boolean()),
  custom_domain: Type.Optional(Nullable(Domain)),
  default_locale: Type.Optional(Locale),
  locales: Type.Optional(Type.Array(Locale, { minItems: 1, maxItems: 30, uniqueItems: true })),
  theme: Type.Optional(Obj({ primary_color: Type.Optional(Colour), header_background: Type.Optional(Colour), logo_url: Type.Optional(ThemeShape.logo_url), contact_url: Type.Optional(ThemeShape.contact_url) })),
});
export type HelpCenterPatch = Static<typeof HelpCenterPatch>;

export function presentHelpCenter(config: Pick<Config, 'publicUrl'>, hc: HelpCenter): Static<typeof HelpCenterSettings> {
  const theme = themeOf(hc.theme);
  return {
    name: hc.name,
    slug: hc.slug,
    enabled: hc.enabled,
    url: `${helpCenterBase(config.publicUrl, hc)}/`,
    custom_domain: hc.custom_domain,
    default_locale: hc.default_locale,
    locales: hc.locales,
    theme,
    updated_at: hc.updated_at.toISOString(),
  };
}

/** The settings after the patch, or 422 naming what is wrong. */
export function checkPatch(config: Pick<Config, 'publicUrl'>, current: HelpCenter, patch: HelpCenterPatch): { locales: string[]; default_locale: string; custom_domain: string | null } {
  const problems: Record<string, string> = {};
  const locales = patch.locales ?? current.locales;
  const defaultLocale = patch.default_locale ?? current.default_locale;
  if (!locales.includes(defaultLocale)) problems.default_locale = 'The default language must be one of the help center\'s languages.';
  const domain = patch.custom_domain === undefined ? current.custom_domain : patch.custom_domain?.toLowerCase() ?? null;
  if (domain && domain === new URL(config.publicUrl).hostname.toLowerCase()) problems.custom_domain = 'This is Rapport\'s own address; choose a host name of your own, such as help.yourcompany.com.';
  if (patch.theme?.logo_url && !isLogoUrl(patch.theme.logo_url)) problems['theme.logo_url'] = 'The logo must be an https:// address.';
  if (patch.theme?.contact_url && !isContactUrl(patch.theme.contact_url)) problems['theme.contact_url'] = 'Give an https:// address or a mailto: link.';
  if (Object.keys(problems).length) throw new AppError('invalid_help_center', undefined, problems);
  return { locales, default_locale: defaultLocale, custom_domain: domain };
}
