// TypeScript test cases for javascript-security.yaml (semgrep --test). Every value here is fake.
import { type Request, type Response, type NextFunction } from 'express'
import * as vm from 'node:vm'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as unzipper from 'unzipper'
import * as serialize from 'node-serialize'
import { DomSanitizer, type SafeHtml } from '@angular/platform-browser'
import { db } from './db'

// ---- javascript.nosql-injection
export function trackOrder () {
  return (req: Request, res: Response) => {
    const id = String(req.params.id)
    // ruleid: javascript.nosql-injection
    db.orders.find({ $where: `this.orderId === '${id}'` }).then((o: unknown) => res.json(o))
    // ok: javascript.nosql-injection
    db.orders.find({ orderId: id }).then((o: unknown) => res.json(o))
  }
}

// ---- javascript.nosql-operator-injection
export function updateReview () {
  return (req: Request, res: Response) => {
    // ruleid: javascript.nosql-operator-injection
    db.reviewsCollection.update({ _id: req.body.id }, { $set: { message: req.body.message } })
    // ok: javascript.nosql-operator-injection
    db.reviewsCollection.update({ _id: String(req.body.id) }, { $set: { message: req.body.message } })
    res.end()
  }
}

// ---- javascript.code-injection (a handler that destructures the request)
export function b2bOrder () {
  return ({ body }: Request, res: Response, next: NextFunction) => {
    const orderLines = body.orderLinesData || ''
    const sandbox = { safeEval, orderLines }
    vm.createContext(sandbox)
    // ruleid: javascript.code-injection
    vm.runInContext('safeEval(orderLines)', sandbox, { timeout: 2000 })
    // ok: javascript.code-injection
    vm.runInContext('JSON.parse(orderLines)', sandbox, { timeout: 2000 })
    res.json({ ok: true })
  }
}

// ---- javascript.open-redirect (destructured query)
export function performRedirect () {
  return ({ query }: Request, res: Response) => {
    const to: string = query.to as string
    // ruleid: javascript.open-redirect
    res.redirect(to)
  }
}
export function safeRedirect () {
  const allowed = new Set(['/basket', '/profile'])
  return ({ query }: Request, res: Response) => {
    const to: string = query.to as string
    if (allowed.has(to)) {
      // ok: javascript.open-redirect
      res.redirect(to)
    }
  }
}

// ---- javascript.sql-injection
export function search () {
  return (req: Request, res: Response) => {
    const criteria: string = (req.query.q as string) ?? ''
    // ruleid: javascript.sql-injection
    models.sequelize.query(`SELECT * FROM Products WHERE name LIKE '%${criteria}%'`)
    // ok: javascript.sql-injection
    models.sequelize.query('SELECT * FROM Products WHERE name LIKE :q', { replacements: { q: `%${criteria}%` } })
  }
}

// ---- javascript.zip-slip
export async function extractComplaint (buffer: Buffer): Promise<void> {
  const directory = await unzipper.Open.buffer(buffer)
  for (const entry of directory.files) {
    const fileName = entry.path
    // ruleid: javascript.zip-slip
    entry.stream().pipe(fs.createWriteStream('uploads/complaints/' + fileName))
    // ok: javascript.zip-slip
    entry.stream().pipe(fs.createWriteStream('uploads/complaints/' + path.basename(fileName)))
  }
}

// ---- javascript.insecure-deserialization
export function restoreCart (req: Request, res: Response): void {
  // ruleid: javascript.insecure-deserialization
  const cart = serialize.unserialize(Buffer.from(req.cookies.cart, 'base64').toString())
  // ok: javascript.insecure-deserialization
  const prefs = JSON.parse(req.cookies.prefs)
  res.json({ cart, prefs })
}

// ---- javascript.angular-sanitizer-bypass
export class SearchResultComponent {
  public searchValue?: SafeHtml
  constructor (private readonly sanitizer: DomSanitizer) {}
  show (queryParam: string): void {
    // ruleid: javascript.angular-sanitizer-bypass
    this.searchValue = this.sanitizer.bypassSecurityTrustHtml(queryParam)
    // ok: javascript.angular-sanitizer-bypass
    this.searchValue = this.sanitizer.bypassSecurityTrustHtml('<em>no results</em>')
  }
}

// ---- javascript.insecure-random-secret and javascript.tls-verification-disabled
export const denyAll = () => ({
  // ruleid: javascript.insecure-random-secret
  secret: '' + Math.random()
})
export function shuffle<T> (items: T[]): T[] {
  // ok: javascript.insecure-random-secret
  return items.sort(() => Math.random() - 0.5)
}
// ruleid: javascript.tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
// ok: javascript.tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1'

// ---- javascript.path-traversal (destructured params)
export function serveLogFile () {
  return ({ params }: Request, res: Response) => {
    // ruleid: javascript.path-traversal
    res.sendFile(path.resolve('logs/', params.file))
    // ok: javascript.path-traversal
    res.sendFile(path.basename(params.file), { root: path.resolve('logs/') })
  }
}
