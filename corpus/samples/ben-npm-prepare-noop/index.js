'use strict';

const words = (s) => String(s)
  .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
  .split(/[^A-Za-z0-9]+/)
  .filter(Boolean)
  .map((w) => w.toLowerCase());

const camel = (s) => words(s).map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('');
const snake = (s) => words(s).join('_');
const kebab = (s) => words(s).join('-');
const title = (s) => words(s).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

module.exports = { camel, snake, kebab, title };
