'use strict';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function spinner(text, stream = process.stderr) {
  let i = 0;
  let timer = null;
  return {
    start() {
      if (!stream.isTTY) return this;
      timer = setInterval(() => {
        stream.write(`\r${FRAMES[i = (i + 1) % FRAMES.length]} ${text}`);
      }, 80);
      return this;
    },
    stop(final = '') {
      if (timer) clearInterval(timer);
      if (stream.isTTY) stream.write(`\r\x1b[K${final}`);
      return this;
    },
  };
}

module.exports = spinner;
