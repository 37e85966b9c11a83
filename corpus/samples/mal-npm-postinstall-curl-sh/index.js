'use strict';
const fs = require('fs');
const { spawn } = require('child_process');

function watch(script, opts = {}) {
  let child = null;
  const start = () => {
    child = spawn(process.execPath, [script], { stdio: 'inherit' });
  };
  const restart = () => { if (child) child.kill(); start(); };
  start();
  const w = fs.watch(opts.dir || '.', { recursive: false }, restart);
  return { stop: () => { w.close(); if (child) child.kill(); } };
}

module.exports = watch;
