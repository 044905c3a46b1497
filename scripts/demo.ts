/**
 * The main job (README's first command): build both extensions, start the offline test world,
 * launch a browser with the extension set to the world's resolver and trust anchor, visit every
 * catalogue case, read the extension's verdict for each tab and photograph its popup; judge every
 * case with the validator core (the CLI's `check --connect`) too; write the summary table (case,
 * expected by the catalogue, shown by the extension, shown by the CLI core) as Markdown and HTML.
 *
 *   npm run demo [-- --browser chromium|firefox] [--headed] [--keep] [--out <dir>] [--skip-build]
 *                [--no-browser] [--readme-screenshots] [--store-screenshots]
 *
 * --browser             which browser (default chromium; Chromium gives extensions no certificate:
 *                       the demo installs the native helper into its throw-away profile, which
 *                       compares the certificate over a separate connection)
 * --headed              show the browser and keep it open at the end (needs a display: DISPLAY)
 * --keep                leave a world this run started running (a world that was already running
 *                       is never stopped)
 * --no-browser          only the core table
 * --no-helper           Chromium without the native certificate helper (src/helper/): signed TLSA
 *                       records then show 'DNSSEC secured · certificate not compared'
 * --readme-screenshots  also write the README's screenshots to docs/screenshots/ (Firefox states;
 *                       see writeReadmeScreenshots in scripts/demo-browser.ts)
 * --store-screenshots   also write the store screenshots (1280×800, docs/store/) and the 360 px
 *                       phone screenshots (docs/screenshots/android-*.png), Firefox; a page wider
 *                       than 360 px is a failure (scripts/store-screenshots.ts)
 * Exit status 1 when the extension or the core disagrees with the catalogue.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { toCheckResult, validateHost, daneBeforeConnect, type CheckResult } from '../src/core/check';
import { connectAndMatch } from '../src/cli/connect';
import { httpsFetch } from '../src/cli/https-fetch';
import { parseTrustAnchors } from '../src/core/dnssec/anchors';
import { Validator } from '../src/core/dnssec/validator';
import { DohClient } from '../src/core/transport/doh';
import { parseName } from '../src/core/wire/name';
import { readCatalogue, readWorld, startWorld, stopWorld } from '../test/world/world.mjs';
import { coreDisplayState } from '../test/browser/extension';
import { runBrowserDemo, writeReadmeScreenshots, type BrowserDemo, type BrowserRow } from './demo-browser';
import { writeStoreScreenshots } from './store-screenshots';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    out: { type: 'string', default: 'demo-output' },
    'skip-build': { type: 'boolean', default: false },
    browser: { type: 'string', default: 'chromium' },
    headed: { type: 'boolean', default: false },
    'no-browser': { type: 'boolean', default: false },
    'readme-screenshots': { type: 'boolean', default: false },
    'store-screenshots': { type: 'boolean', default: false },
    'no-helper': { type: 'boolean', default: false },
  },
});
const log = (m: string) => console.log(`demo: ${m}`);
const browserName = values.browser === 'firefox' ? 'firefox' : values.browser === 'chromium' || values.browser === 'chrome' ? 'chromium' : null;
if (!browserName) {
  console.error(`demo: --browser must be chromium or firefox (got "${values.browser}")`);
  process.exit(2);
}
let headed = values.headed!;
if (headed && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  log('--headed needs a display (DISPLAY is not set): running headless instead');
  headed = false;
}
const out = resolve(values.out!);
mkdirSync(out, { recursive: true });

const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
if (!values['skip-build']) {
  log('building dist/chrome and dist/firefox');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  log(`built in ${seconds()} s`);
}
const { reused } = await startWorld({ log: (m: string) => log(`world: ${m}`) });
const world = readWorld();
const catalogue = readCatalogue();

let demo: BrowserDemo | null = null;
let cleaning: Promise<void> | null = null;
/** Closes the browser (removing its profile) and stops the world if this run started it. Once. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await demo?.b.close().catch(() => undefined);
    if (!reused && !values.keep) await stopWorld({ log: (m: string) => log(`world: ${m}`) });
  })();
  return cleaning;
}
const onSigint = () => void cleanUp().then(() => process.exit(130));
process.on('SIGINT', onSigint);
/**
 * puppeteer adds its own SIGINT handler at launch, which kills the browser and exits at once,
 * before the harness can remove the browser's temporary profile: keep only ours.
 */
function ownSigint(): void {
  for (const l of process.listeners('SIGINT')) if (l !== onSigint) process.off('SIGINT', l as () => void);
}

// ------------------------------------------------------------------ the core (the CLI's check --connect)
interface CoreRow { id: string; host: string; expected: string; shown: string; ok: boolean; reason: string }
const coreRows: CoreRow[] = [];
/** The unbound run's result per case, for the browser table. */
const coreByCase = new Map<string, CheckResult>();
const anchors = parseTrustAnchors(readFileSync(world.trustAnchor.zone, 'utf8'));
if (!anchors.ok) throw new Error('world trust anchor does not parse');
const ca = readFileSync(world.ca);
const fetch = httpsFetch({ ca });
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
      coreRows.push({ id: `${c.id} (${resolverName})`, host: c.host, expected, shown, ok: expected === shown, reason });
      if (resolverName === 'unbound') coreByCase.set(c.id, r);
    }
  }
} finally {
  fetch.close();
}
const coreAgree = coreRows.filter((r) => r.ok).length;
log(`core: ${coreAgree}/${coreRows.length} verdicts agree with the catalogue (${catalogue.cases.length} cases × 2 resolvers), ${seconds()} s`);
for (const r of coreRows.filter((x) => !x.ok)) log(`✗ core ${r.id}: ${r.shown} (expected ${r.expected}; ${r.reason})`);

// ------------------------------------------------------------------ the browser
let browserRows: BrowserRow[] = [];
let failed = false;
try {
  if (!values['no-browser']) {
    log(`${browserName}${headed ? ' (headed)' : ''}: visiting ${catalogue.cases.length} catalogue cases (${catalogue.cases.filter((c) => c.site).length} with a web site)`);
    demo = await runBrowserDemo({ browser: browserName, headed, world, catalogue, out, log, helper: !values['no-helper'] });
    ownSigint();
    browserRows = demo.rows;
  }
  if (values['readme-screenshots']) {
    log('writing the README screenshots to docs/screenshots/');
    await writeReadmeScreenshots({ world, catalogue, log });
  }
  if (values['store-screenshots']) {
    log('writing the store screenshots to docs/store/ and the phone screenshots to docs/screenshots/');
    const { overflow } = await writeStoreScreenshots({ world, catalogue, log });
    if (overflow.some((m) => m.scrollsBy > 0)) failed = true;
  }
} catch (e) {
  failed = true;
  console.error(e);
}

// ------------------------------------------------------------------ summary
const browserAgree = browserRows.filter((r) => r.ok).length;
const generated = new Date().toISOString();
const coreCell = (id: string) => {
  const r = coreByCase.get(id);
  return r ? `${coreDisplayState(r)} (${r.address.state}/${r.address.result} · TLSA ${r.tlsa.state}/${r.tlsa.result} · DANE ${r.dane})` : '';
};
const headline = [
  browserRows.length > 0
    ? `${browserName}: the extension agrees with the catalogue in ${browserAgree} of ${browserRows.length} cases (${browserRows.filter((r) => r.site).length} web sites).`
    : 'No browser run.',
  `Core (the CLI's \`check --connect\`): ${coreAgree} of ${coreRows.length} verdicts agree (${catalogue.cases.length} cases × BIND and unbound).`,
];
const mdCell = (s: string) => s.replace(/\|/g, '\\|');
const md = [
  `# Demo: the extension and the validator judging the offline world`,
  '',
  ...headline.map((l) => `- ${l}`),
  `- Generated ${generated}, ${seconds()} s.`,
  '',
  browserName === 'chromium' && values['no-helper']
    ? 'Chromium without the native helper: it gives extensions no certificate, so a site with signed TLSA records shows "DNSSEC secured · certificate not compared", never "DNSSEC and TLSA verified" or "certificate does not match TLSA"; the expected state is derived from the catalogue without a certificate comparison (`displayStateFor`, the mapping the extension uses).'
    : browserName === 'chromium'
    ? 'Chromium gives extensions no certificate: the native helper (`dnssec-tlsa-helper`, installed into the throw-away profile) compares it over a separate connection from this computer to the validated address the browser used, for every page that loads. Where a page cannot load (no web server, a self-signed certificate, a name the test harness keeps away), only the DNS facts are judged.'
    : 'Firefox gives the extension the certificate chain of every page that loads; where a page cannot load (no web server, a self-signed certificate, a name the test harness keeps away), only the DNS facts are judged.',
  '',
  ...(browserRows.length > 0
    ? [
        `## The extension in ${browserName}`,
        '',
        '| case | site | expected (catalogue) | expected here | shown by the extension | toolbar | shown by the CLI core | browser saw | |',
        '|---|---|---|---|---|---|---|---|---|',
        ...browserRows.map(
          (r) =>
            `| ${r.id} | ${r.url} | ${r.catalogue} | ${r.expected} | ${r.screenshot ? `[${r.shown}](${r.screenshot})` : r.shown} | ${mdCell(r.title)}${r.badge ? ` [${r.badge}]` : ''} | ${coreCell(r.id)} | ${r.seen} | ${r.ok ? '✓' : '✗ ' + mdCell(r.problem)} |`,
        ),
        '',
      ]
    : []),
  '## The validator core (`check --connect`) through both resolvers',
  '',
  '| case | host | expected | shown | |',
  '|---|---|---|---|---|',
  ...coreRows.map((r) => `| ${r.id} | ${r.host} | ${r.expected} | ${r.shown} | ${r.ok ? '✓' : '✗ ' + mdCell(r.reason)} |`),
  '',
].join('\n');
writeFileSync(join(out, 'summary.md'), md);

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>dnssec-tlsa-validator demo</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse;margin-bottom:2em}td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f6f8fa}.bad td{background:#ffebe9}.ok{color:#1a7f37}.no{color:#cf222e}
.state{font-weight:600}.muted{color:#57606a;font-size:12px}img{width:160px;border:1px solid #d0d7de}
</style>
<h1>The extension and the validator judging the offline world</h1>
<ul>${headline.map((l) => `<li>${esc(l)}</li>`).join('')}<li>Generated ${generated}, ${seconds()} s.</li></ul>
${
  browserRows.length > 0
    ? `<h2>The extension in ${browserName}</h2>
<table><tr><th>case</th><th>site</th><th>expected (catalogue)</th><th>expected here</th><th>shown by the extension</th><th>shown by the CLI core</th><th>browser saw</th><th></th><th>popup</th></tr>
${browserRows
  .map(
    (r) => `<tr class="${r.ok ? '' : 'bad'}"><td>${esc(r.id)}</td><td>${esc(r.url)}</td><td>${esc(r.catalogue)}</td><td class="state">${esc(r.expected)}</td>
<td><span class="state">${esc(r.shown)}</span><br><span class="muted">${esc(r.title)}${r.badge ? ` [${esc(r.badge)}]` : ''}</span></td>
<td>${esc(coreCell(r.id))}</td><td class="muted">${esc(r.seen)}</td><td>${r.ok ? '<span class="ok">✓</span>' : `<span class="no">✗ ${esc(r.problem)}</span>`}</td>
<td>${r.screenshot ? `<a href="${esc(r.screenshot)}"><img loading="lazy" src="${esc(r.screenshot)}" alt="popup for ${esc(r.host)}"></a>` : ''}</td></tr>`,
  )
  .join('\n')}
</table>`
    : ''
}
<h2>The validator core (<code>check --connect</code>) through both resolvers</h2>
<table><tr><th>case</th><th>host</th><th>expected</th><th>shown</th><th></th></tr>
${coreRows.map((r) => `<tr class="${r.ok ? '' : 'bad'}"><td>${esc(r.id)}</td><td>${esc(r.host)}</td><td>${esc(r.expected)}</td><td>${esc(r.shown)}</td><td>${r.ok ? '<span class="ok">✓</span>' : `<span class="no">✗ ${esc(r.reason)}</span>`}</td></tr>`).join('\n')}
</table></html>
`;
writeFileSync(join(out, 'summary.html'), html);

// Others may share this world: a restart in the middle (fresh keys, CA and trust anchor) voids the run.
let restarted = false;
try {
  restarted = readWorld().startedAt !== world.startedAt;
} catch {
  restarted = true;
}
if (restarted) log('the world was restarted or stopped during this run (fresh keys and CA): verdicts after that are void; run again');
const ok = !failed && !restarted && coreAgree === coreRows.length && browserAgree === browserRows.length;
for (const l of headline) log(l);
log(`summary: ${join(out, 'summary.md')} and summary.html, popups in ${join(out, 'screenshots', browserName)}/`);
log(`${ok ? 'all agree' : 'DISAGREEMENTS above'}; ${seconds()} s in all`);

if (headed && demo) {
  // Leave the browser to the person: the summary in a tab, the extension still configured for the world.
  const page = await demo.b.browser.newPage();
  await page.goto(pathToFileURL(join(out, 'summary.html')).href).catch(() => undefined);
  log('the browser stays open (the extension is set to the world); close it or press Ctrl-C to finish');
  await new Promise<void>((r) => demo!.b.browser.once('disconnected', () => r()));
}
await cleanUp();
process.exit(ok ? 0 : 1);
