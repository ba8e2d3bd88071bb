import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** `npm run build -w @logbook/ui` writes dist/, which `logbook server` serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5000',
      '/ajax-api': 'http://127.0.0.1:5000',
      '/get-artifact': 'http://127.0.0.1:5000',
      '/model-versions': 'http://127.0.0.1:5000',
    },
  },
})
