import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/**
 * Serves the files of `public/` (config/static.ts), but only for URLs whose last segment has a
 * file extension (`/assets/app-1a2b.js`, `/favicon.ico`): every file there has one (Vite's
 * output, icons), and no route does, so pages and API calls skip the disk lookup the static
 * middleware would otherwise make for every request (bench/surge).
 */
@inject()
export default class StaticFilesMiddleware {
  constructor(protected files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    const method = ctx.request.method()
    if ((method === 'GET' || method === 'HEAD') && looksLikeFile(ctx.request.url())) {
      return this.files.handle(ctx, next)
    }
    return next()
  }
}

/** True when the path's last segment has an extension (`.js`, `.css`, `.ico`, …). */
export function looksLikeFile(path: string) {
  const last = path.slice(path.lastIndexOf('/') + 1)
  const dot = last.lastIndexOf('.')
  return dot > 0 && dot < last.length - 1
}
