/*
 * Browser stand-in for `node:crypto`, for the shared eligibility modules the rule builder
 * imports (app/eligibility). The builder only needs random ids; hashing (rule cache keys)
 * happens on the server and is refused here rather than computed differently.
 */
export function randomUUID(): string {
  return globalThis.crypto.randomUUID()
}

export function createHash(): never {
  throw new Error('createHash is server-only (eligibility rule keys are computed by the server)')
}

export default { randomUUID, createHash }
