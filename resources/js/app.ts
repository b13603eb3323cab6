import '../css/app.css'
import { createInertiaApp, router } from '@inertiajs/vue3'
import { createApp, h, type DefineComponent } from 'vue'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import { pageFile } from './page_files'

// Core pages, and every plugin's pages (plugins/<id>/pages/<area>/<name>.vue), bundled by Vite.
const pages = {
  ...import.meta.glob<DefineComponent>('./pages/**/*.vue'),
  ...import.meta.glob<DefineComponent>('../../plugins/*/pages/**/*.vue'),
}

createInertiaApp({
  title: (title) => (title ? `${title} · Active City` : 'Active City'),
  resolve: (name) => resolvePageComponent(pageFile(name), pages),
  setup({ el, App, props, plugin }) {
    createApp({ render: () => h(App, props) })
      .use(plugin)
      .mount(el)
  },
  progress: { color: '#1d4ed8' },
})

// Keep <html lang> in step with the interface language on client-side visits (WCAG 3.1.1).
router.on('navigate', (event) => {
  const locale = (event.detail.page.props as { locale?: string }).locale
  if (locale) document.documentElement.lang = locale
})
