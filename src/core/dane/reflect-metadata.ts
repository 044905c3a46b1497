/**
 * The few `Reflect` metadata functions that @peculiar/x509's dependency injection (tsyringe) and
 * tslib's decorator helpers call: defineMetadata, getOwnMetadata, getMetadata, hasMetadata,
 * hasOwnMetadata and the `metadata` decorator factory.
 *
 * Why not the `reflect-metadata` package: it looks for the global object with `Function(...)` /
 * indirect `eval` as a fallback, which an MV3 extension's CSP forbids and `web-ext lint` flags
 * (DANGEROUS_EVAL). This shim keeps everything in a WeakMap and never evaluates code. It only
 * fills in what is missing, so a real implementation loaded first wins.
 */
type Key = unknown;
type Prop = string | symbol | undefined;
const store = new WeakMap<object, Map<Prop, Map<Key, unknown>>>();

function table(target: object, prop: Prop, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let t = byProp.get(prop);
  if (!t && create) {
    t = new Map();
    byProp.set(prop, t);
  }
  return t;
}

function getOwnMetadata(key: Key, target: object, prop?: Prop): unknown {
  return table(target, prop, false)?.get(key);
}

function hasOwnMetadata(key: Key, target: object, prop?: Prop): boolean {
  return table(target, prop, false)?.has(key) ?? false;
}

function getMetadata(key: Key, target: object, prop?: Prop): unknown {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (hasOwnMetadata(key, o, prop)) return getOwnMetadata(key, o, prop);
  }
  return undefined;
}

function hasMetadata(key: Key, target: object, prop?: Prop): boolean {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (hasOwnMetadata(key, o, prop)) return true;
  }
  return false;
}

function defineMetadata(key: Key, value: unknown, target: object, prop?: Prop): void {
  table(target, prop, true)!.set(key, value);
}

function metadata(key: Key, value: unknown) {
  return (target: object, prop?: Prop): void => defineMetadata(key, value, target, prop);
}

const api = { defineMetadata, getOwnMetadata, getMetadata, hasOwnMetadata, hasMetadata, metadata };
const R = Reflect as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(api)) {
  if (typeof R[name] !== 'function') R[name] = fn;
}

export {};
