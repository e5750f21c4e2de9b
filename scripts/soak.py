#!/usr/bin/env python3
"""Soak test for `openwfp proxy` (make soak): many concurrent connections
through the proxy with pass-through callouts, random sizes, client and
server resets, slow readers and writers, upstream restarts and SIGHUP
reloads of the configuration. Everything
runs on 127.0.0.1, bounded in time and count.

At the end it checks, and exits 1 otherwise:
  - every transfer that completed has the right sha256 (bytes lost = 0);
  - the proxy is back to no active flow, its file descriptors are back to
    the idle count, and its RSS is back near its idle size (at most the
    larger of idle + 10 MiB and idle x 1.5).

Usage: soak.py OPENWFP_BIN [--seconds N] [--concurrency N] [--config FILE]
"""
import argparse
import asyncio
import hashlib
import json
import os
import random
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

ALPHABET = bytes(range(ord("a"), ord("z") + 1)) + b"0123456789"


def payload(seed, size):
    """Deterministic bytes from a small alphabet (so pass-through edit
    patterns with other characters never match)."""
    rnd = random.Random(seed)
    block = bytes(rnd.choice(ALPHABET) for _ in range(4096))
    reps, rest = divmod(size, len(block))
    return block * reps + block[:rest]


class Stats:
    def __init__(self):
        self.started = self.completed = self.verified = self.lost = 0
        self.bytes = 0
        self.faults = {"client_reset": 0, "server_reset": 0, "slow_writer": 0,
                       "slow_reader": 0, "upstream_restart": 0, "reload": 0}
        self.errors = 0
        self.connect_errors = {}


def abort(writer):
    """Close with an RST (SO_LINGER 0)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def upstream_handler(reader, writer, st):
    """Request line: 'MODE SIZE SEED FAULT\\n'. MODE down: we send SIZE bytes.
    MODE up: the client sends SIZE bytes and we answer their sha256."""
    try:
        line = await reader.readline()
        mode, size, seed, fault = line.decode().split()
        size, seed = int(size), int(seed)
        if mode == "down":
            data = payload(seed, size)
            cut = len(data) // 2 if fault == "server_reset" else len(data)
            for off in range(0, cut, 65536):
                writer.write(data[off:min(off + 65536, cut)])
                await writer.drain()
            if fault == "server_reset":
                abort(writer)
                return
        else:
            h = hashlib.sha256()
            left = size
            while left:
                chunk = await reader.read(min(65536, left))
                if not chunk:
                    break
                h.update(chunk)
                left -= len(chunk)
            writer.write(h.hexdigest().encode() + b"\n")
            await writer.drain()
        writer.close()
    except (ConnectionError, ValueError, asyncio.IncompleteReadError, OSError):
        writer.transport.abort()


async def client(port, st, rnd, deadline):
    mode = rnd.choice(["down", "down", "up"])
    size = rnd.choice([0, 1, 100, 1500, 40000, 300000, 2000000])
    seed = rnd.randrange(1 << 30)
    fault = rnd.choices(["none", "client_reset", "server_reset", "slow_writer", "slow_reader"],
                        weights=[70, 8, 6, 8, 8])[0]
    if fault == "server_reset" and (mode != "down" or size < 2):
        fault = "none"
    st.started += 1
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        st.connect_errors[type(e).__name__] = st.connect_errors.get(type(e).__name__, 0) + 1
        return
    try:
        req = f"{mode} {size} {seed} {fault}\n".encode()
        if fault == "slow_writer":
            st.faults["slow_writer"] += 1
            for i in range(len(req)):
                writer.write(req[i:i + 1])
                await writer.drain()
                await asyncio.sleep(0.02)
        else:
            writer.write(req)
        if mode == "down":
            want = hashlib.sha256(payload(seed, size)).hexdigest()
            h = hashlib.sha256()
            got = 0
            while True:
                if fault == "client_reset" and got >= size // 3:
                    st.faults["client_reset"] += 1
                    abort(writer)
                    return
                if fault == "slow_reader":
                    await asyncio.sleep(0.01)
                try:
                    chunk = await reader.read(16384 if fault == "slow_reader" else 262144)
                except ConnectionError:
                    if fault != "server_reset":
                        raise
                    chunk = b""  # the reset we asked the server for
                if not chunk:
                    break
                h.update(chunk)
                got += len(chunk)
            if fault == "slow_reader":
                st.faults["slow_reader"] += 1
            if fault == "server_reset":
                st.faults["server_reset"] += 1
                return  # the server cut it short on purpose
            if got == size and h.hexdigest() == want:
                st.verified += 1
                st.bytes += got
            elif got < size and time.monotonic() < deadline:
                # A short transfer without a reset we asked for: lost bytes.
                st.lost += size - got
            else:
                st.lost += max(1, abs(size - got))
            st.completed += 1
        else:
            data = payload(seed, size)
            if fault == "client_reset":
                writer.write(data[: size // 3])
                await writer.drain()
                st.faults["client_reset"] += 1
                abort(writer)
                return
            for off in range(0, len(data), 65536):
                writer.write(data[off:off + 65536])
                await writer.drain()
                if fault == "slow_reader":
                    await asyncio.sleep(0.005)
            line = await reader.readline()
            if line.strip().decode() == hashlib.sha256(data).hexdigest():
                st.verified += 1
                st.bytes += size
            else:
                st.lost += size
            st.completed += 1
        writer.close()
    except (ConnectionError, OSError, asyncio.IncompleteReadError):
        # Resets during an upstream restart are faults we injected.
        st.errors += 1
        writer.transport.abort()


def proc_status(pid):
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds


def rss_bound(rss0_kib):
    """The idle RSS the proxy must be back to after the load: the larger of
    10 MiB above its idle size before and 1.5 times that size."""
    return max(rss0_kib + 10 * 1024, rss0_kib * 3 // 2)


def proxy_stats(binary, control):
    out = subprocess.run([binary, "stats", "--control", control, "--json"],
                         capture_output=True, text=True, timeout=10)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def active_flows(stats):
    """Connections the proxy still holds, or -1 if stats could not be read."""
    if not stats:
        return -1
    return max(stats["proxy"]["active"], stats["engine"]["flows_active"])


def only_callout(config, name, out_path):
    """Writes a copy of the soak configuration that keeps one callout and the
    filters naming it (to see which callout a resource change comes from)."""
    keep, section, found = [], None, False
    for line in open(config).read().split("\n"):
        if line and not line[0].isspace() and line.endswith(":"):
            section = line[:-1]
        elif section in ("callouts", "filters") and line.strip().startswith("- {name:"):
            entry = line.split("name:", 1)[1].split(",", 1)[0].strip()
            if entry != name:
                continue
            found = True
        keep.append(line)
    if not found:
        raise SystemExit(f"soak: no callout named {name!r} in {config}")
    with open(out_path, "w") as f:
        f.write("\n".join(keep))


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--concurrency", type=int, default=1000)
    ap.add_argument("--config")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--restarts", type=int, default=1, help="0: never restart the upstream")
    ap.add_argument("--only", help="keep only this callout of --config (and its filters)")
    ap.add_argument("--reload-every", type=float, default=5.0,
                    help="SIGHUP the proxy (reload -c FILE) this often, seconds; 0: never")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, args.concurrency * 6 + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    st = Stats()
    tmp = tempfile.mkdtemp(prefix="owfp-soak-")
    control = os.path.join(tmp, "control.sock")
    handler = lambda r, w: upstream_handler(r, w, st)  # noqa: E731
    server = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=4096)
    up_port = server.sockets[0].getsockname()[1]

    cmd = [args.binary, "proxy", "--listen", "127.0.0.1:0", "--upstream", f"127.0.0.1:{up_port}",
           "--control", control, "-q"]
    if args.config and args.only:
        only = os.path.join(tmp, "only.yaml")
        only_callout(args.config, args.only, only)
        args.config = only
    if args.config:
        cmd += ["-c", args.config]
    proxy = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = None
    start_wait = time.monotonic()
    while port is None and time.monotonic() - start_wait < 20:
        line = await asyncio.get_running_loop().run_in_executor(None, proxy.stdout.readline)
        if not line:
            break
        for tok in line.replace(",", " ").split():
            if tok.count(":") >= 1 and tok.rsplit(":", 1)[-1].isdigit() and "127.0.0.1" in tok:
                port = int(tok.rsplit(":", 1)[-1])
    if port is None:
        print("soak: could not learn the proxy's port:", proxy.stderr.read() if proxy.poll() is not None else "")
        return 1
    while not os.path.exists(control) and time.monotonic() - start_wait < 20:
        await asyncio.sleep(0.05)
    rss0, fds0 = proc_status(proxy.pid)

    rnd = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    restart_every = max(10.0, args.seconds / 4)
    next_restart = time.monotonic() + restart_every
    next_reload = time.monotonic() + args.reload_every
    tasks = set()
    peak = 0
    while time.monotonic() < deadline:
        if args.config and args.reload_every > 0 and time.monotonic() >= next_reload:
            # Reload with connections open: new flows get the new instances,
            # open ones finish on the old (issue 17 item 5).
            proxy.send_signal(signal.SIGHUP)
            st.faults["reload"] += 1
            next_reload += args.reload_every
        while len(tasks) < args.concurrency:
            t = asyncio.ensure_future(client(port, st, random.Random(rnd.random()), deadline + 60))
            tasks.add(t)
            t.add_done_callback(tasks.discard)
        peak = max(peak, len(tasks))
        if args.restarts and time.monotonic() >= next_restart:
            # Upstream restart: stop listening for a moment, then come back.
            server.close()
            await server.wait_closed()
            st.faults["upstream_restart"] += 1
            await asyncio.sleep(0.5)
            server = await asyncio.start_server(handler, "127.0.0.1", up_port, backlog=4096,
                                                reuse_address=True)
            next_restart += restart_every
        await asyncio.sleep(0.05)
    if tasks:
        await asyncio.wait(tasks, timeout=90)

    # Idle again: wait (bounded) for the proxy to report no active flows.
    settle = time.monotonic() + 30
    flows = -1
    while time.monotonic() < settle:
        flows = active_flows(proxy_stats(args.binary, control))
        if flows == 0:
            break
        await asyncio.sleep(0.2)
    rss1, fds1 = proc_status(proxy.pid)
    # The last `openwfp stats` connection may still be closing, and the proxy
    # hands its free heap pages back within a second of going idle (its
    # management loop looks once a second): wait for both (bounded).
    rss_max = rss_bound(rss0)
    settle = time.monotonic() + 5
    while (fds1 > fds0 or rss1 > rss_max) and time.monotonic() < settle:
        await asyncio.sleep(0.1)
        rss1, fds1 = proc_status(proxy.pid)
    if fds1 > fds0:
        for fd in sorted(os.listdir(f"/proc/{proxy.pid}/fd"), key=int):
            try:
                print("soak: proxy fd %s -> %s" % (fd, os.readlink(f"/proc/{proxy.pid}/fd/{fd}")))
            except OSError:
                pass
    proxy.send_signal(signal.SIGTERM)
    try:
        rc = proxy.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proxy.kill()
        rc = -9
    server.close()

    print("soak: %.0f s, peak %d concurrent connections, %d started, %d completed, %d verified"
          % (args.seconds, peak, st.started, st.completed, st.verified))
    print("soak: %.1f MB verified end to end; faults injected: %s; client-side errors: %d"
          % (st.bytes / 1e6, ", ".join(f"{k} {v}" for k, v in st.faults.items()), st.errors))
    print("soak: connections reset at connect (upstream down while restarting): %s" % (st.connect_errors or "none"))
    print("soak: bytes lost: %d" % st.lost)
    print("soak: proxy RSS %d KiB idle before, %d KiB idle after; fds %d before, %d after; "
          "active flows at the end: %d; exit status %d" % (rss0, rss1, fds0, fds1, flows, rc))
    print("soak: idle RSS bound: %d KiB (the larger of before + 10 MiB and before x 1.5)" % rss_max)
    ok = (st.lost == 0 and fds1 <= fds0 and flows == 0 and rc == 0
          and rss1 <= rss_max and st.verified > 0)
    print("soak: %s" % ("PASS" if ok else "FAIL"))
    print("soak: %d passed, %d failed" % (st.verified, (0 if ok else 1)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
