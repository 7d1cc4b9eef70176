# Sourced by the ops scripts: puts the Swift toolchain on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

# Prints N TCP ports of 127.0.0.1 that are free now, on one line: `read -r a b < <(free_ports 2)`.
free_ports() {
  python3 -c "
import socket
sockets = [socket.socket() for _ in range($1)]
for s in sockets: s.bind(('127.0.0.1', 0))
print(*(s.getsockname()[1] for s in sockets))"
}
