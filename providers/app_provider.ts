import type { ApplicationService } from '@adonisjs/core/types'
import { HttpContext } from '@adonisjs/core/http'
import edge from 'edge.js'

/**
 * Application-wide bindings: an Edge renderer made only for requests that render a view.
 */
export default class AppProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    // The edge provider gives every request `ctx.view`, an Edge renderer made at first access, and
    // middleware (the session's, locale, bouncer) share values into it on every request. Making a
    // renderer also rescans the view folders for components each time, which a JSON answer never
    // needs: this `ctx.view` only records what is shared, and makes the renderer (with those
    // values) when something else is asked of it, such as render() for an Inertia page.
    HttpContext.getter(
      'view',
      function (this: HttpContext) {
        return deferredRenderer({ request: this.request })
      },
      true
    )
  }
}

type Renderer = ReturnType<typeof edge.createRenderer>

/** A stand-in for an Edge renderer that makes the real one only when more than share() is used. */
export function deferredRenderer(initial: Record<string, unknown>): Renderer {
  const shared: Record<string, unknown>[] = [initial]
  let real: Renderer | null = null
  const materialize = () => {
    if (!real) {
      real = edge.createRenderer()
      for (const data of shared) real.share(data)
    }
    return real
  }
  const stand: Renderer = new Proxy({} as Renderer, {
    get(_, key) {
      if (key === 'share' && !real) {
        return (data: Record<string, unknown>) => {
          shared.push(data)
          return stand
        }
      }
      const renderer = materialize() as any
      const value = renderer[key]
      return typeof value === 'function' ? value.bind(renderer) : value
    },
    has(_, key) {
      return key in materialize()
    },
  })
  return stand
}
