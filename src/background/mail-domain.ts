/**
 * The registered domain of a host (the public suffix plus one label) whose mail servers the popup
 * shows: www.example.co.uk → example.co.uk. The Public Suffix List comes bundled with `tldts`
 * (ICANN section only: a private suffix such as github.io is not a mail domain boundary); nothing
 * is fetched at run time. Names under an unknown TLD (the world's `.test`) count the TLD as the
 * suffix. Pure.
 */
import { getDomain } from 'tldts';

export function mailDomainFor(host: string): string | null {
  const h = host.trim().replace(/\.$/, '').toLowerCase();
  if (h === '') return null;
  const d = getDomain(h, { allowPrivateDomains: false, extractHostname: false, validateHostname: true });
  return d && d.includes('.') ? d : null;
}
