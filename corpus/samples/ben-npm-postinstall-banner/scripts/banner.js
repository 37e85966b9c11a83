'use strict';
// Printed once after install; silent in CI or when the user opted out.
if (process.env.CI || process.env.ADBLOCK || process.env.DISABLE_OPENCOLLECTIVE) process.exit(0);
console.log('\x1b[36m%s\x1b[0m', 'Thank you for using lit-spinner!');
console.log('If it helps you, consider sponsoring: https://opencollective.com/lit-spinner');
