/** Dates and times as the popup shows them (the browser's locale). */
import { relativeExpiry } from '../core/expiry';

export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}

export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** "in 3 days", "2 hours ago". */
export function relative(msLeft: number): string {
  const { value, unit } = relativeExpiry(msLeft);
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(value, unit);
}
