import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import tailwindcss from '@tailwindcss/vite'
import adonisjs from '@adonisjs/vite/client'

export default defineConfig({
  plugins: [
    adonisjs({ entryPoints: ['resources/js/app.ts'], reload: ['resources/views/**/*.edge'] }),
    vue(),
    tailwindcss(),
  ],
  resolve: {
    alias: {
      '~/': `${new URL('./resources/js/', import.meta.url).pathname}`,
      '@eligibility/': `${new URL('./app/eligibility/', import.meta.url).pathname}`,
      // The shared eligibility modules import node:crypto; the browser gets a stand-in.
      'node:crypto': `${new URL('./resources/js/shims/node_crypto.ts', import.meta.url).pathname}`,
    },
  },
  // Only the client bundle: with SSR off, @adonisjs/vite 6 + Vite 8 would also build an SSR
  // bundle (open upstream issue).
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.client)
    },
  },
  server: {
    watch: { ignored: ['**/tmp/**', '**/storage/**'] },
    // Tenant sites are served on their own hosts (praha5.localhost, <slug>.<PLATFORM_DOMAIN>).
    allowedHosts: [
      '.localhost',
      '.activecity.test',
      ...(process.env.PLATFORM_DOMAIN ? [`.${process.env.PLATFORM_DOMAIN}`] : []),
    ],
  },
})
