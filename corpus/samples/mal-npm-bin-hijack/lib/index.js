'use strict';

function summarize(report) {
  const v = (report && report.metadata && report.metadata.vulnerabilities) || {};
  const order = ['critical', 'high', 'moderate', 'low', 'info'];
  return order.filter((k) => v[k]).map((k) => `${v[k]} ${k}`).join(', ') || 'no vulnerabilities';
}

module.exports = { summarize };
