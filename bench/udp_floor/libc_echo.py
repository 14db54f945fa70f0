# The baseline: a plain blocking recvfrom/sendto loop (CPython's socket module is a thin libc wrapper).
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("ready", flush=True)
while True:
    data, address = s.recvfrom(2048)
    s.sendto(data, address)
