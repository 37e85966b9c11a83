'use strict';
const http = require('http');

const port = Number(process.env.PORT || 8080);
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ ok: true, path: req.url }));
}).listen(port);
