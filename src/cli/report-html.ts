/**
 * `check --batch … --report <file.html>`: one self-contained page an operator can send to
 * colleagues. No network and no external assets: inline CSS and JS only, and a Content Security
 * Policy (`default-src 'none'`, the one style and script allowed by hash) so the page can load
 * nothing and run nothing else, even if a string slipped through. Every string from the input file
 * or the network is escaped for its context: HTML text (escapeHtml) or the JSON data block
 * (jsonForScript); the script puts data into the page with textContent only.
 *
 * One row per input line, failing ones first; states in colour, symbol and words; a text filter,
 * a filter by state, sorting by any column, and pages (a 170,000-line batch renders one page at a time).
 * With `--svg <dir>` (issue #19) the name cell links the row's chain picture by a relative URL
 * (`rowLink`): a link is a navigation the reader chooses, the page itself still loads nothing.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BATCH_LIMITS } from './batch-limits';
import { LEVELS, type BatchRow, type Level } from './batch-row';

/** Colour, symbol and words of each level (the words say what was proven). */
export const LEVEL_STYLE: Record<Level, { colour: string; symbol: string; words: string }> = {
  fail: { colour: '#cf222e', symbol: '✗', words: 'failing' },
  error: { colour: '#8250df', symbol: '!', words: 'not checked' },
  unknown: { colour: '#bc4c00', symbol: '?', words: 'indeterminate' },
  partial: { colour: '#9a6700', symbol: '◐', words: 'partly DANE' },
  none: { colour: '#57606a', symbol: '–', words: 'no DANE' },
  'dns-ok': { colour: '#0969da', symbol: '●', words: 'TLSA signed, certificate not compared' },
  ok: { colour: '#1a7f37', symbol: '✓', words: 'DANE verified' },
};

const LEVEL_RANK: Record<Level, number> = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>;

/** Failing first (the level order of LEVELS), then by name. */
export function compareRows(a: BatchRow, b: BatchRow): number {
  return LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || (a.input < b.input ? -1 : a.input > b.input ? 1 : 0);
}

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script type="application/json">: no `<` (so no `</script>` or `<!--`), no `>`/`&`, no U+2028/9. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface ReportMeta {
  /** What was checked (the input file name as given). */
  source: string;
  generated: string;
  resolver: string;
  /** Kind of names: hosts (port n), mail domains, or a record type. */
  what: string;
  elapsedSeconds: number;
  /** Inputs skipped because a resume file had them done (they are not in the report). */
  resumed: number;
  /** `--svg <dir>`: URL of that directory relative to the report, ending in `/` (pictureBase). */
  pictures?: string;
}

/**
 * The URL of the pictures' directory as seen from the report: relative (the two can be moved or
 * sent together), every path segment percent-encoded (a directory named `javascript:x` or `a#b`
 * stays a path); a file: URL only when no relative path exists (another Windows drive).
 */
export function pictureBase(reportFile: string, svgDir: string): string {
  const dir = resolve(svgDir);
  const rel = relative(dirname(resolve(reportFile)), dir);
  if (isAbsolute(rel)) return pathToFileURL(dir).href.replace(/\/?$/, '/');
  return rel === '' ? '' : rel.split(sep).map(encodeURIComponent).join('/') + '/';
}

/** The row's link: its chain picture (`--svg <dir>`), when one was written for it. */
export function rowLink(row: BatchRow, meta: Pick<ReportMeta, 'pictures'>): string | null {
  return row.svg !== undefined && meta.pictures !== undefined ? meta.pictures + encodeURIComponent(row.svg) : null;
}

const STYLE = `
:root{color-scheme:light dark;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:1.5rem;max-width:110rem}
h1{font-size:1.35rem;margin:0 0 .3rem}
.meta{color:#57606a;margin:0 0 1rem}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 1rem}
.chip{border:2px solid var(--c);border-radius:1rem;padding:.15rem .7rem;background:none;color:inherit;font:inherit;cursor:pointer}
.chip b{color:var(--c)}
.chip[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.controls{display:flex;gap:1rem;align-items:center;margin:0 0 .6rem}
input[type=search]{font:inherit;padding:.25rem .5rem;min-width:22rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0;background:Canvas}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-family:ui-monospace,monospace;overflow-wrap:anywhere;min-width:12rem}
.st{display:inline-block;border-left:.35rem solid var(--c);padding-left:.4rem;white-space:nowrap}
.st b{color:var(--c)}
.reason{color:inherit;word-break:break-word}
nav{margin:.8rem 0;display:flex;gap:.6rem;align-items:center}
nav button{font:inherit}
`;

const SCRIPT = `
(function(){
"use strict";
var LV=${JSON.stringify(LEVELS)};
var STY=${JSON.stringify(LEVEL_STYLE)};
var data=JSON.parse(document.getElementById("data").textContent);
var PAGE=${BATCH_LIMITS.reportPageSize};
var page=0,key="level",dir=1,q="",show={};
LV.forEach(function(l){show[l]=true;});
var rank={};LV.forEach(function(l,i){rank[l]=i;});
var COL={level:0,state:1,input:3,reason:4,queries:6,ms:7};
var tbody=document.getElementById("rows"),count=document.getElementById("count"),pager=document.getElementById("pager");
function cmp(a,b){
  var x,y;
  if(key==="level"){x=rank[a[0]];y=rank[b[0]];}else{x=a[COL[key]];y=b[COL[key]];}
  if(x===null)x=-1;if(y===null)y=-1;
  var c=x<y?-1:x>y?1:0;
  if(c===0&&key!=="input")c=a[3]<b[3]?-1:a[3]>b[3]?1:0;
  return c*dir;
}
var view=data;
function compute(){
  var ql=q.toLowerCase();
  view=data.filter(function(r){return show[r[0]]&&(ql===""||r[3].toLowerCase().indexOf(ql)>=0||r[4].toLowerCase().indexOf(ql)>=0||r[2].toLowerCase().indexOf(ql)>=0);});
  view.sort(cmp);
  page=0;
  render();
}
function td(text,cls){var e=document.createElement("td");if(cls)e.className=cls;e.textContent=text;return e;}
function render(){
  var pages=Math.max(1,Math.ceil(view.length/PAGE));
  if(page>=pages)page=pages-1;
  var frag=document.createDocumentFragment();
  view.slice(page*PAGE,(page+1)*PAGE).forEach(function(r){
    var tr=document.createElement("tr"),s=STY[r[0]];
    var st=document.createElement("td"),span=document.createElement("span"),b=document.createElement("b");
    span.className="st";span.style.setProperty("--c",s.colour);
    b.textContent=s.symbol+" "+s.words;span.appendChild(b);
    span.appendChild(document.createElement("br"));span.appendChild(document.createTextNode(r[2]));
    st.appendChild(span);tr.appendChild(st);
    var nm=td(r[8]===null?r[3]:"","name");
    if(r[8]!==null){var a=document.createElement("a");a.href=r[8];a.textContent=r[3];a.title="chain of trust picture (SVG)";nm.appendChild(a);}
    tr.appendChild(nm);
    tr.appendChild(td(r[4],"reason"));
    tr.appendChild(td(r[6]===null?"":String(r[6]),"n"));
    tr.appendChild(td(r[7]===null?"":String(r[7]),"n"));
    frag.appendChild(tr);
  });
  tbody.textContent="";tbody.appendChild(frag);
  count.textContent=view.length+" of "+data.length+" rows";
  pager.textContent="";
  if(pages>1){
    var prev=document.createElement("button"),next=document.createElement("button"),lab=document.createElement("span");
    prev.textContent="‹ previous";next.textContent="next ›";prev.disabled=page===0;next.disabled=page===pages-1;
    prev.addEventListener("click",function(){page--;render();});next.addEventListener("click",function(){page++;render();});
    lab.textContent="page "+(page+1)+" of "+pages;
    pager.appendChild(prev);pager.appendChild(lab);pager.appendChild(next);
  }
  document.querySelectorAll("th[data-k]").forEach(function(th){th.setAttribute("aria-sort",th.getAttribute("data-k")===key?(dir>0?"ascending":"descending"):"none");});
}
document.querySelectorAll("th[data-k]").forEach(function(th){
  th.addEventListener("click",function(){var k=th.getAttribute("data-k");if(k===key)dir=-dir;else{key=k;dir=1;}compute();});
});
document.querySelectorAll(".chip[data-level]").forEach(function(b){
  b.addEventListener("click",function(){var l=b.getAttribute("data-level");show[l]=!show[l];b.setAttribute("aria-pressed",String(show[l]));compute();});
});
document.getElementById("q").addEventListener("input",function(e){q=e.target.value;compute();});
document.getElementById("js").hidden=false;
compute();
})();
`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** One row as the page's data array: [level, state, words, input, reason, kind, queries, ms, link]. */
function dataRow(r: BatchRow, meta: ReportMeta): unknown[] {
  return [r.level, r.state, r.words, r.input, r.reason, r.kind, r.queries, r.elapsedMs, rowLink(r, meta)];
}

function staticRow(r: BatchRow, meta: ReportMeta): string {
  const s = LEVEL_STYLE[r.level];
  const link = rowLink(r, meta);
  const name = link === null ? escapeHtml(r.input) : `<a href="${escapeHtml(link)}" title="chain of trust picture (SVG)">${escapeHtml(r.input)}</a>`;
  return (
    `<tr><td><span class="st" style="--c:${s.colour}"><b>${s.symbol} ${escapeHtml(s.words)}</b><br>${escapeHtml(r.words)}</span></td>` +
    `<td class="name">${name}</td><td class="reason">${escapeHtml(r.reason)}</td>` +
    `<td class="n">${r.queries ?? ''}</td><td class="n">${r.elapsedMs ?? ''}</td></tr>\n`
  );
}

/**
 * The page, in pieces (written one after another, never joined into one string). `rows` must be
 * sorted already (compareRows).
 */
export function* reportChunks(rows: readonly BatchRow[], meta: ReportMeta): Generator<string> {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const r of rows) counts[r.level]++;
  // style-src by hash would also forbid the style attributes the static rows use: those need 'unsafe-inline' for
  // styles only (CSS cannot run script); scripts stay restricted to the one hashed script.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;
  const title = `DANE batch report: ${meta.source}`;
  yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="${csp}">\n`; // our constant: no quote, &, <
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  yield `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`;
  yield `<h1>DANE / DNSSEC batch report</h1>\n<p class="meta">${escapeHtml(meta.source)} · ${escapeHtml(meta.what)} · ${rows.length} names · resolver ${escapeHtml(meta.resolver)} · ${escapeHtml(meta.generated)} · ${meta.elapsedSeconds} s`;
  yield meta.resumed > 0 ? ` · ${meta.resumed} names done in an earlier run are not in this report` : '';
  yield '</p>\n<div class="chips" aria-label="rows per state; click to show or hide">\n';
  for (const l of LEVELS) {
    const s = LEVEL_STYLE[l];
    yield `<button type="button" class="chip" data-level="${l}" aria-pressed="true" style="--c:${s.colour}"><b>${s.symbol} ${escapeHtml(s.words)}</b> ${counts[l]}</button>\n`;
  }
  yield '</div>\n<div id="js" hidden>\n<div class="controls"><input id="q" type="search" placeholder="filter by name, state or reason" aria-label="filter"> <span id="count"></span></div>\n';
  yield '<table><thead><tr><th data-k="level">state</th><th data-k="input">name</th><th data-k="reason">reason</th><th data-k="queries">queries</th><th data-k="ms">ms</th></tr></thead>\n<tbody id="rows"></tbody></table>\n<nav id="pager"></nav>\n</div>\n';
  yield `<noscript>\n<p>Sorting and filtering need JavaScript; the first ${Math.min(rows.length, BATCH_LIMITS.reportStaticRows)} rows, failing first:</p>\n`;
  yield '<table><thead><tr><th>state</th><th>name</th><th>reason</th><th>queries</th><th>ms</th></tr></thead>\n<tbody>\n';
  for (let i = 0; i < rows.length && i < BATCH_LIMITS.reportStaticRows; i++) yield staticRow(rows[i], meta);
  yield '</tbody></table>\n</noscript>\n<script type="application/json" id="data">[\n';
  for (let i = 0; i < rows.length; i++) yield (i ? ',\n' : '') + jsonForScript(dataRow(rows[i], meta));
  yield `\n]</script>\n<script>${SCRIPT}</script>\n</body>\n</html>\n`;
}
