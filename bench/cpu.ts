/**
 * CPU per cold verdict without any network: the test world's real answers (the replay fixture of
 * the validator's unit tests) served from memory, a fresh Validator per verdict, pinned clock.
 * What remains is our own work: wire parsing, canonical forms, WebCrypto verification, proofs.
 *
 *   npx tsx bench/cpu.ts        (also part of `npm run bench`)
 */
import { readFileSync } from 'node:fs';
import { validateHost } from '../src/core/check';
import type { SignatureBackend } from '../src/core/dnssec/algorithms';
import { nodeCryptoBackend } from '../src/cli/node-crypto';
import { LIMITS } from '../src/core/dnssec/limits';
import { parseName } from '../src/core/wire/name';
import { replayValidators, type ReplayFixture } from './cpu-verdicts';

export interface CpuRow {
  case: string;
  host: string;
  cpuMsPerVerdict: number;
  wallMsPerVerdict: number;
  cryptoOps: number;
  queries: number;
  state: string;
}

/**
 * `signatures`: the platform primitive, as the entry points choose it: node:crypto (the CLI,
 * the default here) or WebCrypto (what the core uses when nothing is injected, as in browsers).
 */
export async function cpuPerVerdict(runs = 100, signatures: SignatureBackend = nodeCryptoBackend): Promise<CpuRow[]> {
  const fx: ReplayFixture = JSON.parse(readFileSync(new URL('../src/core/dnssec/fixtures/replay/world.json', import.meta.url), 'utf8'));
  const fresh = replayValidators(fx, { signatures });
  const rows: CpuRow[] = [];
  for (const c of fx.cases) {
    const host = parseName(c.host)!;
    const once = () => validateHost(fresh(), host, c.port);
    for (let i = 0; i < 10; i++) await once(); // warm JIT and the imported-key cache
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await once();
    const cpu = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    const last = await once();
    rows.push({
      case: c.id,
      host: c.host,
      cpuMsPerVerdict: Math.round(((cpu.user + cpu.system) / 1000 / runs) * 100) / 100,
      wallMsPerVerdict: Math.round((wall / runs) * 100) / 100,
      cryptoOps: LIMITS.maxCryptoOpsPerVerdict - last.ctx.budget.cryptoOps,
      queries: last.ctx.fetcher.sent,
      state: `${last.a.state}/${last.tlsa.state}`,
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { webCryptoBackend } = await import('../src/core/dnssec/algorithms');
  const backend = process.env.SIGNATURES === 'webcrypto' ? webCryptoBackend : nodeCryptoBackend;
  const rows = await cpuPerVerdict(Number(process.env.RUNS ?? 100), backend);
  const sorted = rows.map((r) => r.cpuMsPerVerdict).sort((a, b) => a - b);
  console.log(`${backend.name}: median ${sorted[Math.floor(sorted.length / 2)]} ms CPU per verdict`);
  for (const r of rows) console.log(`${r.case.padEnd(28)} ${String(r.cpuMsPerVerdict).padStart(6)} ms CPU  ${String(r.wallMsPerVerdict).padStart(6)} ms wall  ${String(r.cryptoOps).padStart(3)} crypto ops  ${String(r.queries).padStart(3)} queries  ${r.state}`);
}
