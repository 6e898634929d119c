/**
 * @module Zod's locale table cut to English: wrangler.toml's [alias] points zod's `../locales/index.js` here.
 * `z.locales` (every language, 178 KB minified) is reachable from `z` so the bundler cannot drop it; flowkey's
 * messages are English and `z.config(z.locales.xx())` is never called. Were zod to move the file, the alias would
 * stop matching and the bundle would only grow back.
 */
export { default as en } from 'zod/v4/locales/en.js'
