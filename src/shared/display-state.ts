/** What the toolbar shows for one tab. Order: from "nothing known" to the failure states. */
export const DISPLAY_STATES = [
  'checking',
  'secure-tlsa-match',
  'secure',
  'insecure',
  'bogus',
  'tlsa-mismatch',
  'address-mismatch',
  'indeterminate',
  'off',
] as const;

export type DisplayState = (typeof DISPLAY_STATES)[number];

export function isDisplayState(value: unknown): value is DisplayState {
  return typeof value === 'string' && (DISPLAY_STATES as readonly string[]).includes(value);
}
