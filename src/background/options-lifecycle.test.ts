import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultOptions, type Options } from '../shared/options';
import type { FetchLike } from '../core/transport/doh';
import { Engine } from './engine';
import { OptionsLifecycle, type OptionsStorage } from './options-lifecycle';
import { problemsWith, resolved } from './report';

/** Storage whose reads fail while `broken` is set; records what is saved. */
interface TestStorage extends OptionsStorage {
  broken: boolean;
  saved: Options[];
  listeners: ((o: Options) => void)[];
}

function storage(stored: Options): TestStorage {
  const s: TestStorage = {
    broken: true,
    saved: [],
    listeners: [],
    load: () => (s.broken ? Promise.reject(new Error('storage is corrupt')) : Promise.resolve(stored)),
    save: async (o) => void s.saved.push(o),
    onChanged: (l) => void s.listeners.push(l),
  };
  return s;
}

const engine = () => new Engine({ fetch: () => Promise.reject(new TypeError('no network in this test')) });
const userOptions: Options = { ...defaultOptions(), exclusions: ['intranet.example.org'], enforcement: true };

describe('OptionsLifecycle: saved options that cannot be read', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  afterEach(() => resolved('options-read'));

  it('checks nothing instead of running on the defaults, says why, and saves nothing over them', async () => {
    const s = storage(userOptions);
    const o = new OptionsLifecycle(s, engine());
    await o.ready();
    expect(o.unreadable()).toBe('storage is corrupt');
    // The defaults would check (and send to a resolver) a host the user may have excluded.
    expect(o.targetOf('https://intranet.example.org/', false)).toEqual({ check: false, host: 'intranet.example.org', reason: 'options-unreadable' });
    expect(o.targetOf('https://www.example.org/', false)).toMatchObject({ check: false, reason: 'options-unreadable' });
    expect(o.targetOf('about:blank', false)).toMatchObject({ check: false, reason: 'not-web' });
    expect(problemsWith([]).map((p) => [p.where, p.message])).toEqual([['options-read', 'storage is corrupt']]);
    expect(await o.addEnforcementException('www.example.org')).toBe(false);
    expect(s.saved).toEqual([]);
  });

  it('reads them again at the next request; once read, every tab is judged under them', async () => {
    const s = storage(userOptions);
    const o = new OptionsLifecycle(s, engine());
    const rejudged: Options[] = [];
    o.follow((next) => rejudged.push(next));
    await o.ready();
    s.broken = false;
    await o.ready();
    expect(o.unreadable()).toBeNull();
    expect(rejudged).toEqual([userOptions]);
    expect(problemsWith([])).toEqual([]);
    expect(o.targetOf('https://intranet.example.org/', false)).toMatchObject({ check: false, reason: 'excluded' });
    expect(o.targetOf('https://www.example.org/', false)).toMatchObject({ check: true, host: 'www.example.org' });
    expect(await o.addEnforcementException('www.example.org')).toBe(true);
    expect(s.saved[0]?.enforcementExceptions).toEqual(['www.example.org']);
  });

  it('new options saved meanwhile (the options page) end the unreadable state', async () => {
    const s = storage(userOptions);
    const o = new OptionsLifecycle(s, engine());
    o.follow(() => undefined);
    await o.ready();
    s.listeners[0]!({ ...defaultOptions(), exclusions: ['other.example.org'] });
    expect(o.unreadable()).toBeNull();
    expect(o.targetOf('https://other.example.org/', false)).toMatchObject({ reason: 'excluded' });
  });
});

describe('OptionsLifecycle: priming the trust anchor keys (Engine.prime)', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  afterEach(() => resolved('options-read'));

  /** An engine whose DoH requests are recorded (and fail: no network here). */
  function countingEngine(): { engine: Engine; urls: string[] } {
    const urls: string[] = [];
    const fetch: FetchLike = (url) => {
      urls.push(String(url));
      return Promise.reject(new TypeError('no network in this test'));
    };
    return { engine: new Engine({ fetch }), urls };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('sends nothing while the saved options cannot be read (the defaults stand in for nothing)', async () => {
    const { engine: e, urls } = countingEngine();
    const o = new OptionsLifecycle(storage(userOptions), e);
    await o.ready();
    await settle();
    expect(urls).toEqual([]);
  });

  it("asks the user's resolver once the options are read, and again only when they change", async () => {
    const { engine: e, urls } = countingEngine();
    const s = storage({ ...userOptions, resolver: { kind: 'custom', url: 'https://doh.example.net/dns-query' }, secondaryResolver: null });
    s.broken = false;
    const o = new OptionsLifecycle(s, e);
    o.follow(() => undefined);
    await o.ready();
    await settle();
    expect(urls.length).toBeGreaterThan(0);
    expect(new Set(urls.map((u) => new URL(u).origin))).toEqual(new Set(['https://doh.example.net']));
    const before = urls.length;
    s.listeners[0]!({ ...userOptions, resolver: { kind: 'custom', url: 'https://other.example.net/dns-query' }, secondaryResolver: null });
    await settle();
    expect(urls.slice(before).length).toBeGreaterThan(0);
    expect(new Set(urls.slice(before).map((u) => new URL(u).origin))).toEqual(new Set(['https://other.example.net']));
  });
});

describe('OptionsLifecycle: a change whose event was lost is picked up by the second read', () => {
  afterEach(() => resolved('options-read'));

  it('applies options stored after the first read without a storage event, once; identical ones change nothing', async () => {
    const s = storage(userOptions);
    s.broken = false;
    let stored: Options = userOptions;
    s.load = () => Promise.resolve(stored);
    const o = new OptionsLifecycle(s, engine(), 30);
    const followed: Options[] = [];
    o.follow((next) => followed.push(next));
    await o.ready();
    expect(o.current()).toEqual(userOptions);
    // Saved while the worker was starting: no onChanged reaches it.
    const saved: Options = { ...userOptions, exclusions: ['saved.example.org'] };
    stored = saved;
    await new Promise((r) => setTimeout(r, 120));
    expect(o.current()).toEqual(saved);
    expect(followed).toEqual([saved]);
    expect(o.targetOf('https://saved.example.org/', false)).toMatchObject({ check: false, reason: 'excluded' });
  });

  it('nothing happens when the stored options are those in force', async () => {
    const s = storage(userOptions);
    s.broken = false;
    const o = new OptionsLifecycle(s, engine(), 10);
    const followed: Options[] = [];
    o.follow((next) => followed.push(next));
    await o.ready();
    await new Promise((r) => setTimeout(r, 60));
    expect(followed).toEqual([]);
    expect(o.current()).toEqual(userOptions);
  });
});
