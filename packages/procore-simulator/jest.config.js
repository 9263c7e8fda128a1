/** The simulator's own tests, runnable alone: `npm test -w <package>` (no Temporal, no database). */
module.exports = require('simulator-common/jest.config.base');
