'use strict';

const http = require('http');
const https = require('https');
const { URL } = require('url');

function request(config) {
  return new Promise((resolve, reject) => {
    const u = new URL(config.url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method: (config.method || 'get').toUpperCase(),
      headers: config.headers || {}, timeout: config.timeout || 0 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let data = Buffer.concat(chunks).toString('utf8');
        try { data = JSON.parse(data); } catch (e) { /* keep text */ }
        resolve({ status: res.statusCode, headers: res.headers, data });
      });
    });
    req.on('error', reject);
    if (config.data) req.write(typeof config.data === 'string' ? config.data : JSON.stringify(config.data));
    req.end();
  });
}

module.exports = {
  request,
  get: (url, c) => request({ ...c, url, method: 'get' }),
  post: (url, data, c) => request({ ...c, url, data, method: 'post' }),
};
