export { createApp, type AppConfig, type AppDeps } from './app.ts'
export { listen, close } from './serve.ts'
export { collectGarbage, type GcResult } from './gc.ts'
export { hasUiBuild, UI_CSP } from './routes/ui-static.ts'
