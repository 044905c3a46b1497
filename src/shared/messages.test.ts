import { describe, expect, it } from 'vitest';
import { PEM_MAX_LENGTH, isBroadcast, isRequest, isTabState, type TabState } from './messages';

const state: TabState = { tabId: 3, host: 'example.org', state: 'checking', checkedAt: null };

describe('isRequest', () => {
  it('accepts the two request types with a tab id', () => {
    expect(isRequest({ type: 'getTabState', tabId: 0 })).toBe(true);
    expect(isRequest({ type: 'recheck', tabId: 12 })).toBe(true);
  });
  it.each([
    null,
    'getTabState',
    {},
    { type: 'getTabState' },
    { type: 'getTabState', tabId: -1 },
    { type: 'getTabState', tabId: 1.5 },
    { type: 'getTabState', tabId: '1' },
    { type: 'deleteEverything', tabId: 1 },
  ])('rejects %j', (v) => {
    expect(isRequest(v)).toBe(false);
  });
});

describe('isRequest: page → background requests besides the tab ones', () => {
  it('accepts proceedAnyway with a host and testResolver with a URL and anchor choice', () => {
    expect(isRequest({ type: 'proceedAnyway', host: 'www.example.org' })).toBe(true);
    expect(isRequest({ type: 'testResolver', url: 'https://dns.example/dns-query', trustAnchor: { kind: 'builtin' } })).toBe(true);
    expect(isRequest({ type: 'testResolver', url: 'https://x.example/q', trustAnchor: { kind: 'custom', text: '. DS 1 8 2 00' } })).toBe(
      true,
    );
  });
  it.each([
    { type: 'proceedAnyway' },
    { type: 'proceedAnyway', host: '' },
    { type: 'proceedAnyway', host: 'a'.repeat(254) },
    { type: 'testResolver', url: 'https://x.example/q' },
    { type: 'testResolver', url: 'https://x.example/q', trustAnchor: { kind: 'custom' } },
    { type: 'testResolver', url: 5, trustAnchor: { kind: 'builtin' } },
    { type: 'testResolver', url: `https://x.example/${'a'.repeat(2100)}`, trustAnchor: { kind: 'builtin' } },
  ])('rejects %j', (v) => {
    expect(isRequest(v)).toBe(false);
  });
});

describe('isRequest: issue #9 tools', () => {
  it('accepts checkMail with a tab id and generateTlsa with host, port and PEM text', () => {
    expect(isRequest({ type: 'checkMail', tabId: 4 })).toBe(true);
    expect(isRequest({ type: 'generateTlsa', host: 'www.example.org', port: 443, pem: '-----BEGIN CERTIFICATE-----' })).toBe(true);
  });
  it.each([
    { type: 'checkMail' },
    { type: 'checkMail', tabId: -1 },
    { type: 'generateTlsa', host: 'www.example.org', port: 443 },
    { type: 'generateTlsa', host: 'www.example.org', port: '443', pem: '' },
    { type: 'generateTlsa', host: 'www.example.org', port: 1.5, pem: '' },
    { type: 'generateTlsa', host: 'a'.repeat(254), port: 443, pem: '' },
    { type: 'generateTlsa', host: 'www.example.org', port: 443, pem: 'x'.repeat(PEM_MAX_LENGTH + 1) },
  ])('rejects %j', (v) => {
    expect(isRequest(v)).toBe(false);
  });
});

describe('isTabState / isBroadcast', () => {
  it('accepts a well-formed state and broadcast', () => {
    expect(isTabState(state)).toBe(true);
    expect(isTabState({ ...state, host: null, state: 'off', checkedAt: 1 })).toBe(true);
    expect(isTabState({ ...state, url: 'https://example.org/', details: null, skip: 'excluded' })).toBe(true);
    expect(isBroadcast({ type: 'tabStateChanged', state })).toBe(true);
  });
  it('rejects unknown display states and malformed fields', () => {
    expect(isTabState({ ...state, state: 'green' })).toBe(false);
    expect(isTabState({ ...state, host: 5 })).toBe(false);
    expect(isTabState({ ...state, checkedAt: 'now' })).toBe(false);
    expect(isTabState({ ...state, url: 3 })).toBe(false);
    expect(isTabState({ ...state, details: 'x' })).toBe(false);
    expect(isBroadcast({ type: 'tabStateChanged', state: { ...state, tabId: -2 } })).toBe(false);
    expect(isBroadcast({ type: 'other', state })).toBe(false);
  });
});
