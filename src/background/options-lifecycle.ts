/**
 * The options in force in the background, read at start-up and followed through changes, and the
 * one `Engine` configured from them. Storage is injected (options-state.ts wires the browser's).
 *
 * When the saved options cannot be read, the defaults are NOT used in their place: they would
 * drop the user's exclusions (sending hosts the user excluded to a resolver the user may not have
 * chosen) and their enforcement, without a word. Instead nothing is checked (every tab is 'off'
 * with the skip reason 'options-unreadable', which the popup explains; the error is reported),
 * nothing is saved over them, and they are read again at the next navigation or request.
 */
import { targetFor, type Target } from '../shared/host-rules';
import { defaultOptions, withEnforcementException, type Options } from '../shared/options';
import type { Engine } from './engine';
import { messageOf, report, resolved } from './report';

/** See `OptionsLifecycle`'s `resyncAfterMs`. */
export const RESYNC_AFTER_MS = 2_000;

export interface OptionsStorage {
  load(): Promise<Options>;
  save(options: Options): Promise<void>;
  onChanged(listener: (options: Options) => void): void;
}

export class OptionsLifecycle {
  private options: Options = defaultOptions();
  /** Set once a change arrives: a slower start-up read must not overwrite newer options with older ones. */
  private changedMeanwhile = false;
  /** Why the saved options could not be read; null once they were (or a change brought new ones). */
  private readError: string | null = null;
  private readDone = false;
  private reading: Promise<void>;
  /** Runs after the options changed (set by `follow`). */
  private changed: ((next: Options) => void) | null = null;

  constructor(
    private readonly storage: OptionsStorage,
    readonly engine: Engine,
    /**
     * The stored options are read once more this long after start-up (null: never). A change
     * written while a just-started Chrome service worker was still registering its listeners can
     * reach neither its first read nor its `storage.onChanged` (seen in the e2e tests: a whole
     * browser session on the defaults although the options page had saved others).
     */
    resyncAfterMs: number | null = RESYNC_AFTER_MS,
  ) {
    this.reading = this.read();
    if (resyncAfterMs !== null) {
      void this.reading.then(() => setTimeout(() => void this.resync(), resyncAfterMs));
    }
  }

  /** Applies the stored options if they differ from those in force (a change whose event was lost). */
  private async resync(): Promise<void> {
    if (this.readError !== null) return; // the next navigation reads them again anyway
    const stored = await this.storage.load().catch(() => null);
    if (stored === null || JSON.stringify(stored) === JSON.stringify(this.options)) return;
    this.apply(stored);
  }

  private read(): Promise<void> {
    this.readDone = false;
    return this.storage
      .load()
      .then(
        (o) => {
          if (this.changedMeanwhile) return;
          const recovered = this.readError !== null;
          this.options = o;
          this.readError = null;
          resolved('options-read');
          if (recovered) {
            // Read at last: every tab judged 'off' meanwhile is judged under the real options.
            this.engine.configure(o);
            this.engine.prime();
            this.changed?.(o);
          }
        },
        (e: unknown) => {
          if (this.changedMeanwhile) return;
          this.readError = messageOf(e);
          report('options-read', e);
        },
      )
      .then(() => {
        this.engine.configure(this.options);
        if (this.readError === null) this.engine.prime();
      })
      .finally(() => {
        this.readDone = true;
      });
  }

  /**
   * Resolves once the stored options were read, or could not be (`unreadable`); after a failed
   * read, the next call reads them again.
   */
  ready(): Promise<void> {
    if (this.readDone && this.readError !== null && !this.changedMeanwhile) this.reading = this.read();
    return this.reading;
  }

  /** The options in force now (await `ready()` first where the stored ones matter). */
  current(): Options {
    return this.options;
  }

  /** Why the saved options could not be read, or null. */
  unreadable(): string | null {
    return this.readError;
  }

  /**
   * Whether (and how) a URL is checked under the options in force: shared/host-rules.ts, except
   * that nothing is checked while the saved options cannot be read.
   */
  targetOf(url: string, incognito: boolean): Target {
    const target = targetFor(url, this.options, incognito);
    if (this.readError === null || (!target.check && target.reason === 'not-web')) return target;
    return { check: false, host: target.host, reason: 'options-unreadable' };
  }

  /**
   * The block page's "proceed anyway": enforcement is off for this host from now on. Refused
   * (false) while the saved options cannot be read: saving would replace them with the defaults.
   */
  async addEnforcementException(host: string): Promise<boolean> {
    await this.ready();
    if (this.readError !== null) return false;
    this.options = withEnforcementException(this.options, host);
    await this.storage.save(this.options);
    return true;
  }

  /** Follows option changes: the engine is reconfigured first, then `listener` runs. */
  follow(listener: (next: Options) => void): void {
    this.changed = listener;
    this.storage.onChanged((next) => this.apply(next));
  }

  /** New options in force: the engine is reconfigured, then the follower runs. */
  private apply(next: Options): void {
    this.changedMeanwhile = true;
    this.options = next;
    this.readError = null;
    resolved('options-read');
    this.engine.configure(next);
    this.engine.prime();
    this.changed?.(next);
  }
}
