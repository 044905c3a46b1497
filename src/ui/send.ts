import browser from 'webextension-polyfill';
import type { Request, ResponseFor } from '../shared/messages';

/** Sends a typed request to the background and returns its typed answer. */
export async function send<R extends Request>(request: R): Promise<ResponseFor<R>> {
  return (await browser.runtime.sendMessage(request)) as ResponseFor<R>;
}
