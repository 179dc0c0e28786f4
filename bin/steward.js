#!/usr/bin/env node
// The installed entry point runs the compiled CLI (`npm run build` writes dist/).
import('../dist/cli/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('Steward is not built yet: run `npm run build` (or `npm start`, which builds first).');
    process.exit(1);
  }
  throw error;
});
