'use strict';

module.exports = require('./lib/application');
