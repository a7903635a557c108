// The page every tutorial step serves: it opens /ws (passing on this page's query, so
// `/?room=a` reaches the server as `/ws?room=a`), sends each key you press as
// {"type":"key","key":"..."}, and lists what the server sends. It is a separate file, not an
// inline <script>, because the page's Content-Security-Policy (like the real game's) forbids
// inline script. Text goes in with textContent, never innerHTML.
// Tutorial: docs/tutorial/01-game-loop.md

const status = document.getElementById('status');
const log = document.getElementById('log');
let socket = null;

function show(line) {
  const entry = document.createElement('div');
  entry.textContent = `${new Date().toLocaleTimeString()}  ${line}`;
  log.prepend(entry);
  while (log.childElementCount > 30) log.lastElementChild.remove();
}

function connect() {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(`${scheme}//${location.host}/ws${location.search}`);
  status.textContent = 'connecting';
  socket.onopen = () => {
    status.textContent = 'connected';
  };
  socket.onmessage = (event) => show(event.data);
  socket.onclose = (event) => {
    status.textContent = `disconnected (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
  };
}

document.getElementById('connect').addEventListener('click', connect);
document.getElementById('disconnect').addEventListener('click', () => socket?.close());
document.addEventListener('keydown', (event) => {
  if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
  if (socket?.readyState !== WebSocket.OPEN) {
    status.textContent = 'not connected: press Connect first';
    return;
  }
  socket.send(JSON.stringify({ type: 'key', key: event.key }));
  event.preventDefault();
});

connect();
