#!/usr/bin/env node
// The package runs its TypeScript sources directly through tsx: no build step, so a fresh
// clone works right after `npm install` and no stale compiled output can disagree with src/.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
