/** Shapes of the props the server sends (see app/transformers/shared_props.ts). */
export type LocaleCode = 'cs' | 'en' | 'uk' | 'pl'

export interface Branding {
  primaryColor?: string
  accentColor?: string
  logoUrl?: string
  tagline?: Partial<Record<LocaleCode, string>>
}

export interface TenantSummary {
  slug: string
  name: string
  kind: 'city' | 'district' | 'ngo' | string
  country: string
  currency: string
  status: 'pending' | 'active' | 'suspended' | string
  nationwide: boolean
  branding: Branding
}

export interface SharedUser {
  id: string
  fullName: string
  email: string
  locale: string
  emailVerified: boolean
  isPlatformAdmin: boolean
  isCitizen: boolean
}

export interface SharedWorkspace {
  key: string
  kind: 'tenant' | 'organization'
  name: string
  roles: string[]
}

export interface NavItem {
  route: string
  href: string
  label: string
}

export interface SharedProps {
  user: SharedUser | null
  tenant: TenantSummary | null
  workspace: SharedWorkspace | null
  workspaces: SharedWorkspace[]
  nav: NavItem[]
  locale: string
  messages: Record<string, string>
  [key: string]: unknown
}

export const LOCALE_CODES: LocaleCode[] = ['cs', 'en', 'uk', 'pl']
