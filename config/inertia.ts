import { defineConfig } from '@adonisjs/inertia'

/**
 * Inertia: server-rendered root view, client-side Vue pages (no SSR).
 */
const inertiaConfig = defineConfig({
  rootView: 'inertia_layout',
  ssr: { enabled: false, entrypoint: 'resources/js/ssr.ts' },
})

export default inertiaConfig
