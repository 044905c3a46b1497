// Fixed loopback address plan of the test world. Everything listens on 127.0.0.0/8 only.
export const ADDR = {
  root: '127.0.53.1', // authoritative: root zone
  tld: '127.0.53.2', // authoritative: test., example. (+ unsigned.optout.example.)
  sld: '127.0.53.3', // authoritative: second-level zones
  bind: '127.0.54.1', // BIND 9.18 validating resolver: DNS :53, DoH :443
  unbound: '127.0.54.2', // unbound 1.17 validating resolver: DNS :53, DoH :443
  probe: '127.0.54.3', // query source for unbound-host / libunbound cross-checks
  front: '127.0.55.1', // DoH front (delay + counting) :8443
};
export const FRONT_PORT = 8443;
export const DOH_PORT = 443;
export const DNS_PORT = 53;

/** Every address the world needs as a /32 alias on lo (sites are added from the catalogue). */
export function aliasAddresses(catalogue) {
  const set = new Set(Object.values(ADDR));
  for (const c of catalogue.cases) if (c.site && c.ip) set.add(c.ip);
  for (const s of [...(catalogue.smtp?.servers ?? []), ...(catalogue.smtp?.services ?? [])]) if (s.ip) set.add(s.ip); // issue #15 mail servers
  return [...set];
}
