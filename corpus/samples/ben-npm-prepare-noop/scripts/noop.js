'use strict';
// Placeholder for a future build step; `prepare` runs on git installs too.
process.exit(0);
