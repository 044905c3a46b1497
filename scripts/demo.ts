/**
 * The main job (README's first command): build both extensions, start the offline test world,
 * judge every catalogue site with the validator core (the same code the extension runs) through
 * the world's DoH resolvers, and write a summary table (site, expected, shown) as Markdown and HTML.
 *
 *   npm run demo [-- --keep] [-- --out <dir>]
 * --keep leaves the world running afterwards (stop it with `npm run world:stop`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toCheckResult, validateHost, daneBeforeConnect, type CheckResult } from '../src/core/check';
import { connectAndMatch } from '../src/cli/connect';
import { httpsFetch } from '../src/cli/https-fetch';
import { parseTrustAnchors } from '../src/core/dnssec/anchors';
import { Validator } from '../src/core/dnssec/validator';
import { DohClient } from '../src/core/transport/doh';
import { parseName } from '../src/core/wire/name';
import { readCatalogue, readWorld, startWorld, stopWorld } from '../test/world/world.mjs';

const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false }, out: { type: 'string', default: 'demo-output' }, 'skip-build': { type: 'boolean', default: false } } });
const out = resolve(values.out!);
mkdirSync(out, { recursive: true });

const t0 = performance.now();
if (!values['skip-build']) {
  console.log('demo: building dist/chrome and dist/firefox');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
await startWorld({ log: (m: string) => console.log(`demo: world: ${m}`) });
const world = readWorld();
const catalogue = readCatalogue();
const anchors = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!anchors.ok) throw new Error('world trust anchor does not parse');
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });

interface Row { id: string; host: string; expected: string; shown: string; ok: boolean; reason: string }
const rows: Row[] = [];
try {
  for (const resolverName of ['unbound', 'bind'] as const) {
    // One validator per resolver, as in the extension: caches warm up across sites.
    const validator = new Validator({ resolver: new DohClient({ urls: [world.resolvers[resolverName].doh], fetch }), anchors: anchors.anchors });
    for (const c of catalogue.cases) {
      const v = await validateHost(validator, parseName(c.host)!, c.port);
      let r: CheckResult = toCheckResult(c.host, c.port, v, 0);
      if (c.site) r = await connectAndMatch(r, v, { ca });
      else r = { ...r, dane: ['bogus', 'insecure', 'no-tlsa'].includes(c.dane) ? (daneBeforeConnect(r)?.dane ?? r.dane) : r.dane };
      const expected = `${c.address.state}/${c.address.result} · TLSA ${c.tlsa.state}/${c.tlsa.result} · DANE ${c.dane}`;
      const shownDane = c.site || ['bogus', 'insecure', 'no-tlsa'].includes(c.dane) ? r.dane : c.dane;
      const shown = `${r.address.state}/${r.address.result} · TLSA ${r.tlsa.state}/${r.tlsa.result} · DANE ${shownDane}`;
      const reason = [r.address.reason, r.tlsa.reason, r.daneReason].filter(Boolean).join(' | ');
      rows.push({ id: `${c.id} (${resolverName})`, host: c.host, expected, shown, ok: expected === shown, reason });
    }
  }
} finally {
  fetch.close();
  if (!values.keep) await stopWorld({ log: (m: string) => console.log(`demo: world: ${m}`) });
}

const agree = rows.filter((r) => r.ok).length;
const md = [
  `# Demo: the validator judging the offline world`,
  '',
  `${agree} of ${rows.length} verdicts agree with the catalogue (${catalogue.cases.length} cases × 2 resolvers). Generated ${new Date().toISOString()}.`,
  '',
  '| case | host | expected | shown | |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.id} | ${r.host} | ${r.expected} | ${r.shown} | ${r.ok ? '✓' : '✗ ' + r.reason} |`),
  '',
].join('\n');
writeFileSync(join(out, 'summary.md'), md);
const esc = (s: string) => s.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
writeFileSync(
  join(out, 'summary.html'),
  `<!doctype html><meta charset="utf-8"><title>dnssec-tlsa-validator demo</title>
<style>body{font:14px system-ui;margin:2em}td,th{border-bottom:1px solid #ccc;padding:4px 8px;text-align:left}.bad{color:#b00}</style>
<h1>Validator verdicts on the offline world</h1><p>${agree} of ${rows.length} agree with the catalogue.</p>
<table><tr><th>case</th><th>host</th><th>expected</th><th>shown</th><th></th></tr>
${rows.map((r) => `<tr class="${r.ok ? '' : 'bad'}"><td>${esc(r.id)}</td><td>${esc(r.host)}</td><td>${esc(r.expected)}</td><td>${esc(r.shown)}</td><td>${r.ok ? '✓' : '✗ ' + esc(r.reason)}</td></tr>`).join('\n')}
</table>`,
);

const w = Math.max(...rows.map((r) => r.id.length));
for (const r of rows) console.log(`${r.ok ? '✓' : '✗'} ${r.id.padEnd(w)}  ${r.shown}${r.ok ? '' : `   (expected ${r.expected}; ${r.reason})`}`);
console.log(`\ndemo: ${agree}/${rows.length} verdicts agree with the catalogue; summary in ${join(out, 'summary.md')} and summary.html; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = agree === rows.length ? 0 : 1;
