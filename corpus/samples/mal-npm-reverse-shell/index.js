'use strict';
const { hasBinary } = require('./lib/is-binary');

const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 };

class Encoder {
  encode(obj) {
    let str = '' + obj.type;
    if (obj.nsp && obj.nsp !== '/') str += obj.nsp + ',';
    if (obj.id != null) str += obj.id;
    if (obj.data != null) str += JSON.stringify(obj.data);
    return [str];
  }
}

class Decoder {
  decode(str) {
    let i = 0;
    const p = { type: Number(str.charAt(0)) };
    if (PacketType[Object.keys(PacketType)[p.type]] === undefined) throw new Error('unknown packet type ' + p.type);
    i++;
    if (str.charAt(i) === '/') {
      const start = i;
      while (++i && str.charAt(i) !== ',' && i < str.length);
      p.nsp = str.substring(start, i);
      i++;
    } else p.nsp = '/';
    const idStart = i;
    while (i < str.length && /\d/.test(str.charAt(i))) i++;
    if (i > idStart) p.id = Number(str.substring(idStart, i));
    if (i < str.length) p.data = JSON.parse(str.substr(i));
    return p;
  }
}

module.exports = { protocol: 5, PacketType, Encoder, Decoder, hasBinary };
