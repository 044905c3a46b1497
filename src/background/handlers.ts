/**
 * The pages' requests (popup, options page, block page; contract in shared/messages.ts): one
 * handler per request type, a map the compiler checks against `Request` and `ResponseMap`.
 */
import type { Runtime } from 'webextension-polyfill';
import { suggestTlsa } from '../core/dane/generate';
import { parsePemCertificates } from '../core/dane/pem';
import { isServicePort, tlsaName } from '../core/dane/names';
import { parseName } from '../core/wire/name';
import type { GeneratorResult, MailCheck, Request, ResponseFor, ResponseMap } from '../shared/messages';
import { mailDomainFor } from './mail-domain';
import { helperStatus } from './helper';
import { judgeTab } from './navigations';
import { addEnforcementException, engine, optionsReady, targetOf } from './options-state';
import { navigations } from './tab-state';

export type Handlers = {
  [K in Request['type']]: (request: Extract<Request, { type: K }>, sender: Runtime.MessageSender) => Promise<ResponseMap[K]>;
};

/** The popup's mail section: MX hosts of the tab's registered domain (RFC 7672). */
async function mailCheck(tabId: number): Promise<MailCheck> {
  await optionsReady();
  const nav = navigations.get(tabId);
  if (!nav || !nav.target.check) return { domain: null, state: 'off', result: null, error: null };
  const domain = mailDomainFor(nav.target.host);
  if (!domain) return { domain: null, state: 'no-domain', result: null, error: null };
  // The registered domain is a name of its own: the same host rules apply to it.
  if (!targetOf(`https://${domain}/`, false).check) return { domain, state: 'off', result: null, error: null };
  try {
    return { domain, state: 'done', result: await engine.checkMail(domain), error: null };
  } catch (e) {
    return { domain, state: 'error', result: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The options page's TLSA record generator: a pasted PEM chain, compared with the published records. */
async function generateTlsa(hostIn: string, port: number, pem: string): Promise<GeneratorResult> {
  await optionsReady();
  const host = hostIn.trim().replace(/\.$/, '').toLowerCase();
  if (!isServicePort(port)) return { ok: false, error: 'bad-port', detail: String(port) };
  if (!parseName(host) || !tlsaName(host, port)) return { ok: false, error: 'bad-host', detail: hostIn };
  const { certs } = parsePemCertificates(pem);
  if (certs.length === 0) return { ok: false, error: 'no-certificate', detail: '' };
  let lookup: Extract<GeneratorResult, { ok: true }>['lookup'] = null;
  let lookupError: string | null = null;
  const target = targetOf(`https://${host}/`, false);
  if (!target.check) lookupError = `not looked up: ${target.reason}`;
  else {
    try {
      lookup = await engine.lookupTlsa(host, port);
    } catch (e) {
      lookupError = e instanceof Error ? e.message : String(e);
    }
  }
  try {
    const suggestion = await suggestTlsa({
      chain: certs,
      host,
      port,
      owner: lookup?.name ?? null,
      published: lookup?.records ?? null,
      publishedState: lookup?.state ?? null,
    });
    return { ok: true, suggestion, lookup, lookupError };
  } catch (e) {
    return { ok: false, error: 'bad-certificate', detail: e instanceof Error ? e.message : String(e) };
  }
}

export const handlers: Handlers = {
  getTabState: (r) => judgeTab(r.tabId, 'current'),
  recheck: (r) => judgeTab(r.tabId, 'again'),
  proceedAnyway: async (r) => ({ ok: await addEnforcementException(r.host) }),
  testResolver: (r) => engine.testResolver(r.url, r.trustAnchor),
  checkMail: (r) => mailCheck(r.tabId),
  generateTlsa: (r) => generateTlsa(r.host, r.port, r.pem),
  helperStatus: (r) => helperStatus(r.recheck === true),
};

/** Dispatches a request (already checked by `isRequest`) to its handler. */
export function handle<R extends Request>(request: R, sender: Runtime.MessageSender): Promise<ResponseFor<R>> {
  // The map's type pairs each handler with its own request type; TypeScript cannot follow that
  // correlation through a union-typed `request.type`, hence the one widening here.
  const handler = handlers[request.type] as unknown as (r: R, s: Runtime.MessageSender) => Promise<ResponseFor<R>>;
  return handler(request, sender);
}
