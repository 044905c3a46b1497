/** Sub-requests option: the other hosts a page loads from are checked too (shown in the popup only). */
import { currentOptions, engine, targetOf } from './options-state';
import { navigations, publish, type TabStateSub } from './tab-state';

/** Other hosts a page loads from that are checked, per tab. */
const MAX_SUBHOSTS = 24;

export function noteSubrequest(tabId: number, url: string): void {
  if (!currentOptions().subrequests) return;
  const nav = navigations.get(tabId);
  if (!nav || !nav.target.check) return;
  const target = targetOf(url, false);
  if (!target.check || target.host === nav.target.host || nav.subhosts.has(target.host)) return;
  if (nav.subhosts.size >= MAX_SUBHOSTS) return;
  const entry: TabStateSub = { host: target.host, state: 'checking' };
  nav.subhosts.set(target.host, entry);
  engine.check(target.host, target.port).then(
    (c) => {
      entry.state = c.result.address.state === 'bogus' || c.result.tlsa.state === 'bogus' ? 'bogus' : c.result.address.state;
      void publish(nav);
    },
    () => {
      entry.state = 'indeterminate';
      void publish(nav);
    },
  );
}
