#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built into dist/ by `npm install` (prepare).
import '../dist/src/cli/main.js';
