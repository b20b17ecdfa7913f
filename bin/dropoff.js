#!/usr/bin/env node
// The `dropoff` command (src/cli/): this file only starts the built command line.
import '../dist/npm/cli/bin.js';
