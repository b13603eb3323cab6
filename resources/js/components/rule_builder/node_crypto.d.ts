/*
 * The eligibility engine (app/eligibility, shared with the browser through the '@eligibility/'
 * alias) imports `node:crypto` for two server-only helpers: `randomUUID` (the default id of
 * `fromJsonLogic`, which the builder replaces with its own `newId`) and `createHash` (the
 * compiled-rule cache key, never used in the browser). Vite stubs the module in the browser; this
 * declares just what those files use so that vue-tsc can check them with the client's types.
 */
declare module 'node:crypto' {
  export function randomUUID(): string
  export function createHash(algorithm: string): {
    update(data: string): { digest(encoding: 'hex'): string }
    digest(encoding: 'hex'): string
  }
}
