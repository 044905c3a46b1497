import browser from 'webextension-polyfill';
import { withDeadline } from '../shared/deadline';
import type { Request, ResponseFor } from '../shared/messages';
import { t } from './i18n';

/**
 * How long a page waits for the background's answer. Longer than the slowest legitimate one (a
 * mail check through resolvers that time out: three rounds of lookups, each up to two attempts of
 * 5 s at both resolvers), so that only a request the background lost ends here.
 */
export const REQUEST_DEADLINE_MS = 90_000;

/** Sends a typed request to the background and returns its typed answer; rejects after REQUEST_DEADLINE_MS without one. */
export async function send<R extends Request>(request: R): Promise<ResponseFor<R>> {
  const answer = browser.runtime.sendMessage(request) as Promise<ResponseFor<R>>;
  return withDeadline(answer, REQUEST_DEADLINE_MS, () => new Error(t('errorBackgroundSilent', String(REQUEST_DEADLINE_MS / 1000))));
}
