#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
// The compile cache (in the OS temp dir, or NODE_COMPILE_CACHE) keeps the stripped and compiled
// modules between runs: a warm start skips the TypeScript stripper entirely, which halves the
// time to listening and saves its memory.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('../src/cli/main.ts');
