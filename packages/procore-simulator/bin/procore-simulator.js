#!/usr/bin/env node
// Runs the Procore simulator from its TypeScript source through tsx (no build step).
require('tsx/cjs');
require('../src/main.ts');
