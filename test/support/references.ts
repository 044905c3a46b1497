/**
 * The reference validators' verdicts, read from their output: delv (BIND's validator) and
 * unbound-host (libunbound). Used by the world test (catalogue cases) and the differential test
 * (questions no catalogue case asks).
 */
export interface ReferenceVerdict {
  state: 'secure' | 'insecure' | 'bogus' | 'error';
  result?: 'data' | 'nodata' | 'nxdomain';
  raw: string;
}

/** `delv +cdflag … name type`: delv judges the data itself. */
export function parseDelv(out: string): ReferenceVerdict {
  const neg = /resolution failed: ncache (nxdomain|nxrrset)/.exec(out);
  if (neg) {
    const result = neg[1] === 'nxdomain' ? 'nxdomain' : 'nodata';
    if (/; negative response, fully validated/.test(out)) return { state: 'secure', result, raw: out };
    if (/; negative response, unsigned answer/.test(out)) return { state: 'insecure', result, raw: out };
    // After a CNAME, delv prints a status line for the chain's RRsets only, none for the negative
    // part it validated (a failed proof ends in "resolution failed: no valid …", not in ncache):
    // as weak as the weakest line printed (BIND named, the same validator, sets AD there).
    const lines = [...out.matchAll(/^; (fully validated|unsigned answer)$/gm)].map((m) => m[1]);
    if (lines.length > 0 && /^[^;\s]\S*\s+\d+\s+IN\s+(CNAME|DNAME)\s/m.test(out)) {
      return { state: lines.includes('unsigned answer') ? 'insecure' : 'secure', result, raw: out };
    }
    return { state: 'bogus', result, raw: out };
  }
  // CNAME chains print one status per RRset: the chain is as weak as its weakest link
  if (/;; resolution failed:/.test(out)) return { state: 'bogus', raw: out };
  if (/^; unsigned answer/m.test(out)) return { state: 'insecure', result: 'data', raw: out };
  if (/^; fully validated/m.test(out)) return { state: 'secure', result: 'data', raw: out };
  return { state: 'error', raw: out };
}

/** `unbound-host -v -t type name`: one line per answer (or "has no …" / "not found"), each with its security status. */
export function parseUnboundHost(out: string): ReferenceVerdict {
  let state: ReferenceVerdict['state'] = 'error';
  if (/\(BOGUS/.test(out)) state = 'bogus';
  else {
    const all = [...out.matchAll(/\((secure|insecure)\)/g)];
    if (all.length) state = all[all.length - 1]![1] as 'secure' | 'insecure';
  }
  let result: ReferenceVerdict['result'];
  if (/not found: 3\(NXDOMAIN\)/.test(out)) result = 'nxdomain';
  else if (/ has no /.test(out)) result = 'nodata';
  else if (/ has (IPv6 )?address | has [A-Za-z0-9]+ record |mail is handled by /.test(out)) result = 'data';
  return { state, result, raw: out };
}

/** `openssl s_client -dane_tlsa_domain … -dane_tlsa_rrdata … -verify_return_error -brief`: what it concluded. */
export function parseSClientDane(out: string): 'match' | 'mismatch' | `error: ${string}` {
  // "matched …" a certificate of the chain; "signed the certificate at depth n": a trust anchor key from the record (RFC 7671 §5.2.2).
  if (/Verification: OK/.test(out) && /DANE TLSA \d \d \d .* (matched|signed the certificate)/.test(out)) return 'match';
  if (/verify error:num=\d+:/.test(out)) return 'mismatch';
  return `error: ${out.slice(0, 200)}`;
}
