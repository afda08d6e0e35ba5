// An ssh ProxyCommand for the lab: `ip netns exec NS node tcp-relay.mjs HOST PORT` joins stdin/stdout
// to a TCP connection made from inside a lab namespace, so an ssh client on this machine reaches an
// sshd listening on a lab address (10.18.19.0/24 has no route from the root namespace, on purpose).
import net from 'node:net';

const [host, port] = process.argv.slice(2);
const socket = net.connect({ host, port: Number(port) });
socket.on('connect', () => {
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.on('error', (error) => {
  process.stderr.write(`tcp-relay: ${host}:${port}: ${error.message}\n`);
  process.exit(1);
});
socket.on('close', () => process.exit(0));
