import { fileURLToPath, URL } from 'node:url'

import vue from '@vitejs/plugin-vue'
import pxToRem from 'postcss-pxtorem'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vitest/config'

// The local stack (`make run`) serves the API on this origin; `npm run dev` proxies /api to it.
const LOCAL_STACK = process.env.LOCAL_STACK_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus components (and only their own CSS) are imported where a template uses them;
    // our own components are imported explicitly (dirs: []), so a reader sees where they come from.
    Components({
      dirs: [],
      dts: 'src/components.d.ts',
      // Tests render no CSS: without the style imports Node can load Element Plus as it is, untransformed.
      resolvers: [ElementPlusResolver({ importStyle: process.env.VITEST ? false : 'css' })],
    }),
  ],
  css: {
    postcss: {
      // Element Plus sizes its text and controls in px, so a reader's larger text size (older users
      // set one) would grow our text but not its inputs, selects and tables. In rem (16px = 1rem,
      // the same size by default) they follow it; hairlines (1px) stay px.
      plugins: [pxToRem({ rootValue: 16, propList: ['*'], minPixelValue: 2 })],
    },
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n: Composition API only, no legacy API or devtools in the bundle.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: { '/api': LOCAL_STACK },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
