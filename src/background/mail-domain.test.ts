import { describe, expect, it } from 'vitest';
import { mailDomainFor } from './mail-domain';

describe('mailDomainFor', () => {
  it.each([
    ['www.mail.test', 'mail.test'],
    ['mail.test', 'mail.test'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['WWW.Example.ORG.', 'example.org'],
    ['www.nic.cz', 'nic.cz'],
    ['user.github.io', 'github.io'],
  ])('%s → %s', (host, domain) => {
    expect(mailDomainFor(host)).toBe(domain);
  });
  it.each(['co.uk', 'test', '', '192.0.2.1'])('%j has none', (host) => {
    expect(mailDomainFor(host)).toBeNull();
  });
});
