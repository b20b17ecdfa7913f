#!/usr/bin/env bash
# Runs @web/test-runner with tsx's loader, so its config can import the TypeScript stack plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}
exec node --import tsx node_modules/@web/test-runner/dist/bin.js --config web-test-runner.config.mjs "$@"
