import { Router, type Request, type Response } from 'express'
import { users } from '../lib/db'
import { hashPassword, legacyPasswordDigest, newResetToken, newGuessableToken } from '../lib/tokens'

export const accountRouter = Router()

accountRouter.post('/login', async (req: Request, res: Response) => {
  // a JSON body may send {"$ne": null} instead of a string
  const user = await users.findOne({ email: req.body.email }) // PLANTED CWE-943
  const same = await users.findOne({ email: String(req.body.email) }) // SAFE-TWIN CWE-943
  if (user == null || same == null) {
    res.status(401).end()
    return
  }
  res.cookie('session_token', newResetToken()) // PLANTED CWE-1004
  res.cookie('auth_token', newResetToken(), { httpOnly: true, secure: true, sameSite: 'strict' }) // SAFE-TWIN CWE-614
  res.redirect(req.query.returnTo as string) // PLANTED CWE-601
})

accountRouter.get('/logout', (req: Request, res: Response) => {
  res.redirect('/account/' + encodeURIComponent(req.query.lang as string)) // SAFE-TWIN CWE-601
})

export { hashPassword, legacyPasswordDigest, newGuessableToken }
