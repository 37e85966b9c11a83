'use strict';

const http = require('http');

function createApplication() {
  const stack = [];
  function app(req, res) {
    let i = 0;
    const next = (err) => {
      const layer = stack[i++];
      if (!layer) {
        res.statusCode = err ? 500 : 404;
        return res.end(err ? 'Internal Server Error' : 'Not Found');
      }
      if (!req.url.startsWith(layer.path)) return next(err);
      try { layer.fn(req, res, next); } catch (e) { next(e); }
    };
    next();
  }
  app.use = (path, fn) => {
    if (typeof path === 'function') { fn = path; path = '/'; }
    stack.push({ path, fn });
    return app;
  };
  app.get = (path, fn) => app.use(path, (req, res, next) =>
    req.method === 'GET' && req.url === path ? fn(req, res, next) : next());
  app.listen = (...args) => http.createServer(app).listen(...args);
  return app;
}

module.exports = createApplication;
