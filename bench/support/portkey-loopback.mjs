// Preloaded into the Portkey gateway's process by bench/task-latency.ts (`node --import`): Portkey's
// start-server listens on every interface; this makes a listen with no host listen on 127.0.0.1 only.

import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (args[0] && typeof args[0] === 'object' && args[0].host === undefined && args[0].path === undefined)
    args[0] = { ...args[0], host: '127.0.0.1' };
  return listen.apply(this, args);
};
