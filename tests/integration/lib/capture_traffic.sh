# Helpers for tests that need a real capture of real loopback traffic.
# Source it; every function returns non-zero on failure and cleans up its
# own processes through capture_traffic_cleanup (call it from an EXIT trap).
#
#   capture_traffic_free_port [ADDR]       print a free TCP port on ADDR (127.0.0.1)
#   capture_traffic_start_server DIR PORT [ADDR]
#                                          serve DIR over HTTP (python3 http.server)
#   capture_traffic_start_tcpdump FILE PORT
#                                          capture lo, port PORT, into FILE; returns
#                                          once tcpdump says it is listening
#   capture_traffic_stop_tcpdump           SIGINT tcpdump and wait for it to flush
#   capture_traffic_wait_closed FILE N     wait until FILE holds N closed TCP flows
#                                          (needs owfp-capdump; bounded)
#   capture_traffic_record FILE N [ADDR]   all of the above: N curl requests of files
#                                          of assorted sizes, captured into FILE
#                                          (ADDR 127.0.0.1 by default, or ::1)
#   capture_traffic_cleanup                stop whatever is still running

CT_SERVER_PID=""
CT_TCPDUMP_PID=""
CT_WORK=""

capture_traffic_free_port() {
    python3 -c 'import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.bind((a, 0))
print(s.getsockname()[1])
s.close()' "${1:-127.0.0.1}"
}

# URL host part for ADDR: IPv6 literals go in brackets.
capture_traffic_url_host() {
    case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac
}

capture_traffic_start_server() {
    local dir=$1 port=$2 addr=${3:-127.0.0.1}
    local host
    host=$(capture_traffic_url_host "$addr")
    (cd "$dir" && exec python3 -m http.server --bind "$addr" "$port") >/dev/null 2>&1 &
    CT_SERVER_PID=$!
    local i
    # bounded polls (generous: CI machines can be very busy)
    for i in $(seq 1 400); do
        if curl -s -o /dev/null "http://$host:$port/"; then
            return 0
        fi
        kill -0 "$CT_SERVER_PID" 2>/dev/null || { echo "capture_traffic: http.server died" >&2; return 1; }
        sleep 0.05
    done
    echo "capture_traffic: http.server on port $port never answered" >&2
    return 1
}

capture_traffic_start_tcpdump() {
    local file=$1 port=$2
    local err="$file.tcpdump.err"
    : >"$err"
    tcpdump -i lo -U -n -s 0 -B 65536 -Z root -w "$file" "tcp port $port" 2>"$err" &
    CT_TCPDUMP_PID=$!
    local i
    for i in $(seq 1 800); do
        if grep -q "listening on" "$err"; then
            return 0
        fi
        kill -0 "$CT_TCPDUMP_PID" 2>/dev/null || { cat "$err" >&2; return 1; }
        sleep 0.025
    done
    cat "$err" >&2
    return 1
}

capture_traffic_stop_tcpdump() {
    [ -n "$CT_TCPDUMP_PID" ] || return 0
    kill -INT "$CT_TCPDUMP_PID" 2>/dev/null
    wait "$CT_TCPDUMP_PID" 2>/dev/null
    CT_TCPDUMP_PID=""
}

capture_traffic_wait_closed() {
    local file=$1 want=$2
    local tool="${OWFP_BUILD_DIR:-build}/tools/owfp-capdump"
    local i n
    for i in $(seq 1 1200); do
        n=$("$tool" -r libpcap -l "$file" 2>/dev/null | grep -c ' closed$')
        [ "$n" -ge "$want" ] && return 0
        sleep 0.025
    done
    echo "capture_traffic_wait_closed: only $n of $want flows closed in $file" >&2
    return 1
}

capture_traffic_record() {
    local file=$1 count=$2 addr=${3:-127.0.0.1}
    local host
    host=$(capture_traffic_url_host "$addr")
    CT_WORK=$(mktemp -d)
    # bodies of assorted sizes: tiny, one segment, several, many
    head -c 10 /dev/urandom >"$CT_WORK/tiny"
    head -c 1400 /dev/urandom >"$CT_WORK/one"
    head -c 70000 /dev/urandom >"$CT_WORK/some"
    head -c 3000000 /dev/urandom >"$CT_WORK/many"
    local port
    port=$(capture_traffic_free_port "$addr") || return 1
    capture_traffic_start_server "$CT_WORK" "$port" "$addr" || return 1
    capture_traffic_start_tcpdump "$file" "$port" || return 1
    local names=(tiny one some many) i
    for i in $(seq 1 "$count"); do
        curl -s -o /dev/null "http://$host:$port/${names[$(( (i - 1) % 4 ))]}" ||
            { echo "capture_traffic: curl $i failed" >&2; return 1; }
    done
    capture_traffic_wait_closed "$file" "$count" || return 1
    capture_traffic_stop_tcpdump
    kill "$CT_SERVER_PID" 2>/dev/null
    wait "$CT_SERVER_PID" 2>/dev/null
    CT_SERVER_PID=""
    rm -rf "$CT_WORK"
    CT_WORK=""
    return 0
}

capture_traffic_cleanup() {
    capture_traffic_stop_tcpdump
    if [ -n "$CT_SERVER_PID" ]; then
        kill "$CT_SERVER_PID" 2>/dev/null
        wait "$CT_SERVER_PID" 2>/dev/null
        CT_SERVER_PID=""
    fi
    [ -n "$CT_WORK" ] && rm -rf "$CT_WORK"
    CT_WORK=""
}
