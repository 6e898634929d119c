#!/usr/bin/env node
// `npx flowkey ...` from the repository: runs the TypeScript CLI through tsx, which npm ci installs.
import { register } from 'tsx/esm/api'

register()
await import('../scripts/cli/main.ts')
