// One measurement for bench/tick-cost.ts, in a process of its own: the CPU time the real Room
// (server/dist of the checkout at argv[2]) spends per tick of 200 rooms x 10 players, sockets
// replaced by peers that only count bytes. Plain JavaScript, so it runs against any checkout's
// build, older ones included. The players' turns come from a fixed-seed generator: every
// checkout plays exactly the same game. Prints one JSON line.

const [root, roomsArg, ticksArg] = process.argv.slice(2);
const rooms = Number(roomsArg);
const ticks = Number(ticksArg);
const { Room } = await import(`${root}/server/dist/rooms/room.js`);
const shared = await import(`${root}/node_modules/@snakepit/shared/dist/index.js`);

let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
let bytes = 0;
const all = [];
for (let r = 0; r < rooms; r++) {
  const room = new Room({ id: `r${r}`, rules: { ...shared.DEFAULT_RULES }, tickRate: 10, seed: r + 1, log: quiet });
  const peers = [];
  for (let i = 0; i < 10; i++) {
    const peer = {
      send(frame) {
        bytes += frame.length;
      },
      bufferedAmount: 0,
      close() {},
      seq: 0,
    };
    room.add(peer, shared.binaryCodec);
    room.receive(peer, { type: 'join', name: `bot${i}` });
    peers.push(peer);
  }
  all.push({ room, peers });
}

const DIRS = ['up', 'right', 'down', 'left'];
// About what the load bots send: a turn every fourth tick, and "play again" after a death.
function round(t) {
  for (const { room, peers } of all) {
    for (const p of peers) {
      if (random() < 0.25) room.receive(p, { type: 'turn', dir: DIRS[(random() * 4) | 0], seq: ++p.seq });
      if (t % 10 === 0) room.receive(p, { type: 'respawn' });
    }
    room.tick();
  }
}

const WARMUP = 100;
for (let t = 0; t < WARMUP; t++) round(t);
globalThis.gc?.();
const bytesBefore = bytes;
const cpu = process.cpuUsage();
for (let t = WARMUP; t < WARMUP + ticks; t++) round(t);
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    cpuUsPerRoomTick: (used.user + used.system) / ticks / rooms,
    bytesPerClientPerTick: (bytes - bytesBefore) / ticks / rooms / 10,
  }),
);
