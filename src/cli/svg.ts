/**
 * `--svg <file>`: the chain-of-trust picture as a standalone SVG file, drawn by the popup's own
 * code (core/chain-diagram.ts builds the model, shared/chain-svg.ts draws it) with the popup's
 * English words (public/_locales/en/messages.json). Reasons are the validator's technical ones:
 * the file goes into an operator's ticket.
 */
import { buildChainDiagram, type DiagramRRsetInput } from '../core/chain-diagram';
import type { CheckResult } from '../core/check';
import { Algorithm } from '../core/dnssec/algorithms';
import type { ChainLink } from '../core/dnssec/result';
import { DAY_MS } from '../core/expiry';
import type { MailResult } from '../core/mail';
import type { OneResult } from './check';
import { chainSvg, diagramTextFrom, standaloneSvg } from '../shared/chain-svg';
import en from '../../public/_locales/en/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** A message of the extension's English locale with its $1… substitutions (as browser.i18n does). */
export function enMessage(key: string, subs: string[] = []): string {
  const m = (en as Messages)[key];
  if (!m) throw new Error(`no English message ${key}`);
  return m.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name: string) => {
    const content = m.placeholders?.[name.toLowerCase()]?.content;
    if (!content) return all;
    return content.replace(/\$(\d)/g, (_s, d: string) => subs[Number(d) - 1] ?? '');
  });
}

const ALGORITHM_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Algorithm).map(([name, n]) => [n, name.replace(/_/g, '-')]));

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function inWords(ms: number): string {
  return ms < 2 * DAY_MS ? `in ${Math.max(0, Math.ceil(ms / 3_600_000))} hours` : `in ${Math.floor(ms / DAY_MS)} days`;
}

function diagramText(host: string, now: number) {
  return diagramTextFrom(enMessage, host, {
    algorithm: (n) => `${n} ${ALGORITHM_NAMES[n] ?? '?'}`,
    signedUntil: utc,
    expiresSoon: (ms) => `${inWords(ms - now)} (${utc(ms)})`,
    reason: (_code, technical) => technical ?? enMessage('reasonResolver'),
  });
}

function zones(chain: readonly ChainLink[]) {
  return chain.map((l) => ({ ...l, expiresAt: l.signatureExpiration === undefined ? null : l.signatureExpiration * 1000, reasonCode: l.reason?.code ?? null, reason: l.reason?.message ?? null }));
}

/** The picture's SVG file text for one name, its chain and its RRsets. */
export function chainSvgFile(host: string, chain: readonly ChainLink[], rrsets: DiagramRRsetInput[], now: number, warnDays: number): string {
  const model = buildChainDiagram({ host, chain: zones(chain), rrsets, now, warnDays });
  return standaloneSvg(chainSvg(model, diagramText(host, now), 420));
}

/** For a host check: addresses and TLSA records, as in the popup. */
export function hostSvg(r: CheckResult, now: number, warnDays: number): string {
  return chainSvgFile(
    r.host,
    r.chain,
    [
      { label: 'A/AAAA', name: r.host, state: r.address.state, result: r.address.result, records: r.address.records, reasonCode: r.address.reasonCode, reason: r.address.reason },
      { label: 'TLSA', name: r.tlsa.name, state: r.tlsa.state, result: r.tlsa.result, records: r.tlsa.records, reasonCode: r.tlsa.reasonCode, reason: r.tlsa.reason },
    ],
    now,
    warnDays,
  );
}

/** For `--type`: the one RRset. */
export function lookupSvg(j: { name: string; type: string; state: ChainLink['state']; result: DiagramRRsetInput['result']; records: string[]; reason?: string; reasonCode?: DiagramRRsetInput['reasonCode']; chain: ChainLink[] }, now: number, warnDays: number): string {
  return chainSvgFile(j.name, j.chain, [{ label: j.type, name: j.name, state: j.state, result: j.result, records: j.records, reasonCode: j.reasonCode, reason: j.reason }], now, warnDays);
}

/** For `--mx`: the MX RRset of the domain. */
export function mailSvg(r: MailResult, now: number, warnDays: number): string {
  return chainSvgFile(r.domain, r.chain, [{ label: 'MX', name: r.domain, state: r.mx.state, result: r.mx.result, records: r.mx.records, reasonCode: r.mx.reasonCode, reason: r.mx.reason }], now, warnDays);
}

/** The picture of any one check (`check --svg <file>`, and each name of `check --batch … --svg <dir>`). */
export function oneSvg(one: OneResult, now: number, warnDays: number): string {
  return one.kind === 'mail' ? mailSvg(one.result, now, warnDays) : one.kind === 'lookup' ? lookupSvg(one.result, now, warnDays) : hostSvg(one.result, now, warnDays);
}
