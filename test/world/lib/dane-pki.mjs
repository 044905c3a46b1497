// Certificate hierarchies of the world's DANE trust-anchor cases (issue #20): trust anchors
// published only in DNS ("2 0 0", RFC 7671 §5.2.2), a cross-certified root, and an intermediate
// under the world CA (for a PKIX-TA record of a root the server does not send).
//
//   ca-int            intermediate issued by the world CA (trusted by PKIX through the world CA)
//   dns-root          self-signed root in no trust store: only in DNS
//   dns-int           intermediate issued by dns-root
//   cross-root        self-signed root (key K), in no trust store
//   cross-root-by-ca  cross-certificate of cross-root (same subject, key K) issued by the world CA
//   cross-int         intermediate issued by key K (issuer name = cross-root's subject)
//   nc-int            intermediate issued by the world CA, nameConstraints permitting dane.test
//   nc-out-int        intermediate issued by the world CA, nameConstraints permitting only
//                     elsewhere.test: a dane.test leaf under it is outside (RFC 5280 §4.2.1.10)
//
// A site case names its leaf's issuer (`cert.issuer`: ca | self | one of the intermediates above)
// and what it sends after the leaf (`cert.sends`, default: the world CA for issuer ca, nothing
// else); TLSA records may be `of` any of these certificates.
import fs from 'node:fs';

export const DANE_PKI = ['ca-int', 'dns-root', 'dns-int', 'cross-root', 'cross-root-by-ca', 'cross-int', 'nc-int', 'nc-out-int'];

/** Issuers whose leaves a client trusting only the world CA accepts (PKIX; the browsers). */
export const PKIX_TRUSTED_ISSUERS = ['ca', 'ca-int', 'cross-int', 'nc-int'];

/** Issuers whose leaves are outside their CA's nameConstraints: PKIX (the browsers) refuses them too. */
export const OUTSIDE_NAME_CONSTRAINTS = ['nc-out-int'];

/** Does the world CA alone make this case's certificate PKIX-valid (so that a browser loads it)? */
export function worldPkixTrusts(c) {
  return PKIX_TRUSTED_ISSUERS.includes(c.cert?.issuer);
}

/** What the site sends after its leaf. */
export function sentAfterLeaf(c) {
  return c.cert?.sends ?? (c.cert?.issuer === 'ca' ? ['ca'] : []);
}

/** Make the hierarchy into the certificate directory (p: file name → path). */
export async function makeDanePki(run, p, keyArgs) {
  const caExt = (pathlen) => ['-addext', `basicConstraints=critical,CA:TRUE${pathlen === undefined ? '' : `,pathlen:${pathlen}`}`, '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
  const cert = (name, cn, { key = name, issuer, pathlen, ext = [] } = {}) => {
    const keyOpt = fs.existsSync(p(`${key}.key`)) ? ['-key', p(`${key}.key`)] : [...keyArgs('ec'), '-nodes', '-keyout', p(`${key}.key`)];
    const args = ['req', '-x509', ...keyOpt, '-out', p(`${name}.pem`), '-days', '30', '-subj', `/O=dnssec-tlsa-validator test world/CN=${cn}`, ...caExt(pathlen), ...ext.flatMap((e) => ['-addext', e])];
    if (issuer) args.push('-CA', p(`${issuer}.pem`), '-CAkey', p(`${issuer}.key`));
    return run('openssl', args);
  };
  await Promise.all([cert('ca-int', 'Test World Intermediate CA', { issuer: 'ca', pathlen: 0 }), cert('dns-root', 'Test DNS-only Root CA'), cert('cross-root', 'Test Cross-signed Root CA')]);
  await Promise.all([
    cert('dns-int', 'Test DNS-only Intermediate CA', { issuer: 'dns-root', pathlen: 0 }),
    // the cross-certificate: cross-root's subject and key, issued by the world CA
    cert('cross-root-by-ca', 'Test Cross-signed Root CA', { key: 'cross-root', issuer: 'ca' }),
    cert('cross-int', 'Test Cross-signed Intermediate CA', { issuer: 'cross-root', pathlen: 0 }),
    cert('nc-int', 'Test Name-constrained Intermediate CA', { issuer: 'ca', pathlen: 0, ext: ['nameConstraints=critical,permitted;DNS:dane.test'] }),
    cert('nc-out-int', 'Test Elsewhere-constrained Intermediate CA', { issuer: 'ca', pathlen: 0, ext: ['nameConstraints=critical,permitted;DNS:elsewhere.test'] }),
  ]);
}
