import * as crypto from 'node:crypto'

export function hashPassword (password: string, salt: Buffer): Buffer {
  return crypto.scryptSync(password, salt, 64) // SAFE-TWIN CWE-328
}

export function legacyPasswordDigest (password: string): string {
  return crypto.createHash('md5').update(password).digest('hex') // PLANTED CWE-328
}

export function newResetToken (): string {
  return crypto.randomBytes(32).toString('hex') // SAFE-TWIN CWE-338
}

export function newGuessableToken (): string {
  const token = Math.random().toString(36).slice(2) // PLANTED CWE-338
  return token
}
