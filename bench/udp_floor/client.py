# Round trips to a UDP echo at light load (one datagram in flight, a pause between): prints the median RTT
# in ms of argv[2] exchanges after 20 warm-up ones. Exits non-zero if an answer does not come within 1 s.
import socket, statistics, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
rtts = []
for i in range(count + 20):
    start = time.perf_counter()
    s.sendto(b"x" * 300, ("127.0.0.1", port))
    s.recvfrom(2048)
    if i >= 20:
        rtts.append((time.perf_counter() - start) * 1e3)
    time.sleep(0.005)
print(f"{statistics.median(rtts):.4f}")
