#!/usr/bin/env bash
# Replay throughput, side by side in one run, on two captures of real traffic:
#   (a) bulk.pcap  one iperf3 transfer (>= 200 MB) over a veth pair, MTU 1500,
#                  offloads off, so every data segment is a 1500-byte frame;
#   (b) http.pcap  thousands of short HTTP connections, 32 at a time (wrk
#                  against nginx, Connection: close).
# Both are made once, in network namespaces this script creates and deletes,
# and kept in bench/.cache/ (delete a file there to make it again).
# Measured per capture, median of OWFP_BENCH_RUNS runs (default 5), the tools
# taking turns so noise hits them alike: cat (the physical limit), a bare
# libpcap loop, libnids (nids_count), tcpflow writing to tmpfs, and
# `openwfp replay -q` with its default inspection callout (plus --extract,
# and with no filter at all: the floor the filter work sits on).
# The throughput targets are medians of per-round ratios (pair_ratio below).
# Prints a table per capture, `RATIO name value target` lines for bench/run.sh,
# and checks openwfp's --extract against tcpflow's reassembly (sha256 per
# flow direction). Exit status: 0, or 1 when a capture could not be made or
# openwfp's output differs from tcpflow's.
# usage: bench/replay_bench.sh BUILD_DIR
set -uo pipefail

BUILD=$(cd "${1:-build-bench}" 2>/dev/null && pwd) || { echo "replay_bench: no build dir ${1:-build-bench}" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${OWFP_BENCH_CACHE:-$HERE/.cache}
RUNS=${OWFP_BENCH_RUNS:-5}
BULK_BYTES=${OWFP_BENCH_BULK:-256M}      # iperf3 -n
HTTP_SECONDS=${OWFP_BENCH_HTTP_SECONDS:-2} # wrk -d
OWFP=$BUILD/openwfp
PEERS=$BUILD/bench/peers
PROBES=$BUILD/bench/probes
TIME=/usr/bin/time
SHM=$(mktemp -d /dev/shm/owfp-bench.XXXXXX)
WORK=$(mktemp -d /tmp/owfp-bench.XXXXXX)
NS_C=owfpb-c-$$ NS_S=owfpb-s-$$ VETH_C=owb$$c VETH_S=owb$$s
ADDR_C=10.231.0.1 ADDR_S=10.231.0.2
BG_PIDS=()
status=0

stop_background() {
	local p
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	BG_PIDS=()
}

cleanup() {
	stop_background
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	rm -rf "$SHM" "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'replay_bench: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }

# Polls COMMAND every 0.1 s, at most TENTHS times; the only waits here are
# for a server or tcpdump to be ready, never a measurement.
wait_for() {
	local tenths=$1; shift
	while [ "$tenths" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# ---------------------------------------------------------------- captures
netns_up() {
	ip netns add "$NS_C" && ip netns add "$NS_S" &&
	ip link add "$VETH_C" type veth peer name "$VETH_S" &&
	ip link set "$VETH_C" netns "$NS_C" && ip link set "$VETH_S" netns "$NS_S" &&
	ip -n "$NS_C" addr add "$ADDR_C/24" dev "$VETH_C" &&
	ip -n "$NS_S" addr add "$ADDR_S/24" dev "$VETH_S" &&
	ip -n "$NS_C" link set "$VETH_C" mtu 1500 up && ip -n "$NS_S" link set "$VETH_S" mtu 1500 up &&
	ip -n "$NS_C" link set lo up && ip -n "$NS_S" link set lo up &&
	# Without this the kernel hands tcpdump 64 KB super-segments, not the
	# 1500-byte frames a real link carries.
	ip netns exec "$NS_C" ethtool -K "$VETH_C" tso off gso off gro off >/dev/null &&
	ip netns exec "$NS_S" ethtool -K "$VETH_S" tso off gso off gro off >/dev/null
}

listening() { ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }
file_has() { grep -q "$2" "$1"; }

# capture_start FILE FILTER: tcpdump on the client's end of the veth. The
# client side sees every segment as sent (retransmissions as duplicates);
# the server side can miss segments the kernel drops before its tap, which
# leaves holes that libnids gives up on.
capture_start() {
	ip netns exec "$NS_C" tcpdump -i "$VETH_C" -s 0 -B 262144 --immediate-mode -n \
		-w "$1" "$2" 2>"$WORK/tcpdump.err" &
	CAP_PID=$!
	BG_PIDS+=("$CAP_PID")
	wait_for 100 file_has "$WORK/tcpdump.err" 'listening on'
}

# capture_stop FILE: waits until tcpdump has written everything (file size
# stable), stops it, and fails if the kernel dropped any packet.
capture_stop() {
	local last=-1 size n=50
	while [ $n -gt 0 ]; do
		size=$(stat -c %s "$1" 2>/dev/null || echo 0)
		[ "$size" = "$last" ] && break
		last=$size; sleep 0.2; n=$((n - 1))
	done
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	grep -E 'captured|dropped' "$WORK/tcpdump.err" | sed 's/^/  tcpdump: /' >&2
	grep -q '^0 packets dropped by kernel' "$WORK/tcpdump.err"
}

make_bulk() {
	local out=$CACHE/bulk.pcap try
	for try in 1 2 3; do
		say "making $out (iperf3 -n $BULK_BYTES over veth, try $try)"
		ip netns exec "$NS_S" timeout 120 iperf3 -s -1 -B "$ADDR_S" -p 5201 >/dev/null 2>&1 &
		BG_PIDS+=($!)
		wait_for 100 listening "$NS_S" 5201 || { say "iperf3 server did not start"; return 1; }
		capture_start "$out.tmp" 'tcp port 5201' || { say "tcpdump did not start"; return 1; }
		timeout 120 ip netns exec "$NS_C" iperf3 -c "$ADDR_S" -p 5201 -n "$BULK_BYTES" >"$WORK/iperf3.log" 2>&1 ||
			{ say "iperf3 failed:"; cat "$WORK/iperf3.log" >&2; }
		if capture_stop "$out.tmp" && [ "$(stat -c %s "$out.tmp")" -ge 200000000 ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
		say "capture incomplete (drops or < 200 MB), again"
	done
	rm -f "$out.tmp"
	return 1
}

make_http() {
	local out=$CACHE/http.pcap ng=$WORK/nginx try
	mkdir -p "$ng/www" "$ng/tmp"
	chmod 755 "$WORK" "$ng" "$ng/www"
	head -c 4096 /dev/urandom >"$ng/www/small.bin"
	chmod 644 "$ng/www/small.bin"
	cat >"$ng/nginx.conf" <<-EOF
	worker_processes 1;
	daemon off;
	pid $ng/nginx.pid;
	error_log $ng/error.log warn;
	events { worker_connections 1024; }
	http {
	  access_log off;
	  client_body_temp_path $ng/tmp; proxy_temp_path $ng/tmp; fastcgi_temp_path $ng/tmp;
	  uwsgi_temp_path $ng/tmp; scgi_temp_path $ng/tmp;
	  server { listen $ADDR_S:80; root $ng/www; keepalive_timeout 0; }
	}
	EOF
	ip netns exec "$NS_S" nginx -c "$ng/nginx.conf" -p "$ng" 2>"$WORK/nginx.err" &
	BG_PIDS+=($!)
	wait_for 100 listening "$NS_S" 80 || { say "nginx did not start:"; cat "$WORK/nginx.err" >&2; return 1; }
	for try in 1 2 3; do
		say "making $out (wrk -c 32 -d ${HTTP_SECONDS}s, Connection: close, try $try)"
		capture_start "$out.tmp" 'tcp port 80' || { say "tcpdump did not start"; return 1; }
		timeout 60 ip netns exec "$NS_C" wrk -t 2 -c 32 -d "${HTTP_SECONDS}s" -H 'Connection: close' \
			"http://$ADDR_S/small.bin" >"$WORK/wrk.log" 2>&1 || { say "wrk failed:"; cat "$WORK/wrk.log" >&2; }
		grep -E 'requests in' "$WORK/wrk.log" | sed 's/^ */  wrk: /' >&2
		if capture_stop "$out.tmp"; then
			mv "$out.tmp" "$out"
			return 0
		fi
		say "capture dropped packets, again"
	done
	rm -f "$out.tmp"
	return 1
}

make_captures() {
	[ -s "$CACHE/bulk.pcap" ] && [ -s "$CACHE/http.pcap" ] && return 0
	mkdir -p "$CACHE"
	for t in ip ethtool tcpdump iperf3 nginx wrk; do
		have "$t" || { say "cannot make captures: $t missing (scripts/install-deps.sh --bench)"; return 1; }
	done
	netns_up || { say "cannot create network namespaces (needs root)"; return 1; }
	[ -s "$CACHE/bulk.pcap" ] || make_bulk || return 1
	[ -s "$CACHE/http.pcap" ] || make_http || return 1
	stop_background
	ip netns del "$NS_C"; ip netns del "$NS_S"
}

# ---------------------------------------------------------------- measuring
# Each tool is a function TOOL CAPTURE that runs it once. Output goes to
# $WORK/TOOL.out; each run appends "wall_us cpu_us maxrss_kb" (or "fail") to
# $WORK/TOOL.runs. probes/rusage_run measures to the microsecond; GNU time
# (10 ms steps) is the fallback. CPU time (user + system) is reported beside
# the wall clock because on a shared machine the wall clock also counts
# other people's work.
timed() {
	local name=$1 rc; shift
	if [ -x "$PROBES/rusage_run" ]; then
		"$PROBES/rusage_run" "$WORK/$name.time" "$@" >"${OUT:-$WORK/$name.out}" 2>"$WORK/$name.err"
		rc=$?
	else
		"$TIME" -f 'wall_us=%e user_us=%U sys_us=%S maxrss_kb=%M' -o "$WORK/$name.time" \
			"$@" >"${OUT:-$WORK/$name.out}" 2>"$WORK/$name.err"
		rc=$?
		sed -i -E 's/(wall_us|user_us|sys_us)=([0-9.]+)/\1=\2e6/g' "$WORK/$name.time"
	fi
	if [ $rc -ne 0 ]; then
		echo "fail" >>"$WORK/$name.runs"
		say "$name failed (exit $rc): $(head -c 300 "$WORK/$name.err")"
		return $rc
	fi
	tail -n 1 "$WORK/$name.time" | tr ' =' '\n\n' |
		awk 'NR % 2 == 0 { v[NR / 2] = $1 + 0 } END { printf "%.0f %.0f %d\n", v[1], v[2] + v[3], v[4] }' \
		>>"$WORK/$name.runs"
}

tool_cat()      { OUT=/dev/null timed cat cat "$1"; }
tool_libpcap()  { timed libpcap "$PEERS/pcap_loop" "$1"; }
tool_libnids()  { timed libnids "$PEERS/nids_count" "$1"; }
tool_tcpflow()  { rm -rf "$SHM/tcpflow"; mkdir "$SHM/tcpflow"; timed tcpflow tcpflow -r "$1" -o "$SHM/tcpflow"; }
tool_capture()  { timed capture "$PROBES/capture_count" "$1"; }
tool_openwfp()  { timed openwfp "$OWFP" replay -q "$1"; }
# The same replay with no filter at all: flows, reassembly handed to the
# model, delivery, but no stream-layer classify. With capture_count it
# splits openwfp's time into reader + reassembly, flow bookkeeping, and the
# per-indication filter work.
tool_openwfp_nofilters() { timed openwfp_nofilters "$OWFP" replay -q -c "$WORK/nofilters.yaml" "$1"; }
tool_openwfp_extract() {
	rm -rf "$SHM/extract"
	timed openwfp_extract "$OWFP" replay -q --extract "$SHM/extract" "$1"
}

# column N of FILE, median
median_col() { awk -v c="$1" '{ print $c }' "$2" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# stats TOOL BYTES FLOWS -> "MB/s flows/s cpuMB/s cpuflows/s rssMB wall_s cpu_s",
# or nothing if a run failed
stats() {
	local f=$WORK/$1.runs
	[ -s "$f" ] && ! grep -q fail "$f" || return 0
	awk -v w="$(median_col 1 "$f")" -v c="$(median_col 2 "$f")" -v rss="$(median_col 3 "$f")" \
		-v b="$2" -v n="$3" 'BEGIN {
		w /= 1e6; c /= 1e6; if (w <= 0) w = 1e-6; if (c <= 0) c = 1e-6
		printf "%.0f %.0f %.0f %.0f %.1f %.3f %.3f\n", b / 1e6 / w, n / w, b / 1e6 / c, n / c, rss / 1024, w, c }'
}

get() { eval "printf '%s' \"\${R_$1:-}\""; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

# run_capture LABEL FILE: measures every available tool on FILE.
run_capture() {
	local label=$1 cap=$2 bytes packets flows r t tools=()
	local mbps fps cmbps cfps rss wall cpu
	bytes=$(stat -c %s "$cap")
	packets=$("$PEERS/pcap_loop" "$cap" 2>/dev/null | sed -n 's/^packets=\([0-9]*\).*/\1/p')
	# A flow is a connection the capture saw open: one per client SYN.
	flows=$(tcpdump -nn -r "$cap" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null | wc -l)
	tools=(cat)
	[ -x "$PEERS/pcap_loop" ] && tools+=(libpcap) || say "peer missing: $PEERS/pcap_loop"
	[ -x "$PEERS/nids_count" ] && tools+=(libnids) || say "peer missing: $PEERS/nids_count (libnids-dev)"
	# openwfp right after libnids and before tcpflow: the tools a target
	# compares run next to each other in each round (see pair_ratio).
	[ "$HAVE_OWFP" = 1 ] && tools+=(openwfp)
	have tcpflow && tools+=(tcpflow) || say "peer missing: tcpflow"
	[ "$HAVE_CAPTURE" = 1 ] && tools+=(capture)
	[ "$HAVE_OWFP" = 1 ] && tools+=(openwfp_nofilters openwfp_extract)
	for t in "${tools[@]}"; do rm -f "$WORK/$t.runs" "$WORK/$t.out"; done
	cat "$cap" >/dev/null # page cache: every tool reads from memory
	for r in $(seq "$RUNS"); do
		for t in "${tools[@]}"; do "tool_$t" "$cap"; done
	done

	printf '\n(%s) %s: %.1f MB, %s packets, %s flows; median of %s runs\n' \
		"$label" "$(basename "$cap")" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$packets" "$flows" "$RUNS"
	printf '  %-16s %8s %9s %10s %11s %8s %8s %8s\n' tool MB/s flows/s "cpu MB/s" "cpu flows/s" "RSS MB" "wall s" "cpu s"
	for t in "${tools[@]}"; do
		mbps=''
		read -r mbps fps cmbps cfps rss wall cpu <<<"$(stats "$t" "$bytes" "$flows")"
		if [ -z "$mbps" ]; then printf '  %-16s %8s\n' "$t" FAILED; status=1; continue; fi
		printf '  %-16s %8s %9s %10s %11s %8s %8s %8s\n' "$t" "$mbps" "$fps" "$cmbps" "$cfps" "$rss" "$wall" "$cpu"
		eval "R_${label}_${t}_mbps=$mbps R_${label}_${t}_fps=$fps R_${label}_${t}_rss=$rss"
		eval "R_${label}_${t}_cmbps=$cmbps R_${label}_${t}_cfps=$cfps"
	done
	eval "R_${label}_pr_owfp_nids=$(pair_ratio openwfp libnids)"
	eval "R_${label}_pr_owfp_tcpflow=$(pair_ratio openwfp tcpflow)"
	eval "R_${label}_pr_nof_nids=$(pair_ratio openwfp_nofilters libnids)"
	eval "R_${label}_pr_cap_nids=$(pair_ratio capture libnids)"
	# What each reassembler says it delivered (last run), to spot a tool
	# that is fast because it gave up on part of the capture.
	for t in libnids capture openwfp; do
		[ -s "$WORK/$t.out" ] && printf '  %-16s %s\n' "$t:" "$(tail -n 1 "$WORK/$t.out" | cut -c1-120)"
	done
}

# ---------------------------------------------------------------- checking
# "SRC SPORT DST DPORT SHA256" per non-empty flow direction, sorted. tcpflow
# names files 010.231.000.001.41000-010.231.000.002.00080[cN]; a repeated
# 5-tuple is compared as a multiset, so suffixes do not matter.
tcpflow_digests() {
	(cd "$1" && find . -maxdepth 1 -type f ! -name report.xml -size +0 -print0 |
		xargs -0 -r sha256sum) |
	awk '{ n = $2; sub(/^\.\//, "", n); sub(/c[0-9]+$/, "", n)
		split(n, ends, "-"); split(ends[1], a, "."); split(ends[2], b, ".")
		printf "%d.%d.%d.%d %d %d.%d.%d.%d %d %s\n", a[1], a[2], a[3], a[4], a[5], b[1], b[2], b[3], b[4], b[5], $1 }' |
	sort
}

openwfp_digests() {
	awk 'NR > 1 && $6 > 0 { print $2, $3, $4, $5, $7 }' "$1/flows.tsv" | sort
}

# A direction the replay ended at an RST (the host that sent it discards what
# arrives later) may go on in tcpflow, which keeps bytes sent after the RST.
# Such a direction passes if its bytes are a prefix of one of tcpflow's files
# for the same address pair; both digests then leave the lists. Sets ncut.
cut_by_rst() {
	local tf=$1 ex=$2 src sport dst dport bytes sha file base
	ncut=0
	diff "$WORK/tcpflow.sha" "$WORK/openwfp.sha" | grep '^>' | cut -c3- | cut -d' ' -f1-4 |
		sort -u >"$WORK/only.tuples"
	# One pass over flows.tsv: the rst-ended directions of those tuples.
	awk -F'\t' 'FNR == NR { want[$0] = 1; next }
		FNR > 1 && $8 == "rst" && $6 > 0 && (($2" "$3" "$4" "$5) in want) { print $2, $3, $4, $5, $6, $7 }' \
		"$WORK/only.tuples" "$ex/flows.tsv" |
	while read -r src sport dst dport bytes sha; do
		grep -qx "$src $sport $dst $dport $sha" "$WORK/tcpflow.sha" && continue
		base=$(echo "$src.$sport-$dst.$dport" | awk -F'[.-]' '{ printf "%03d.%03d.%03d.%03d.%05d-%03d.%03d.%03d.%03d.%05d", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }')
		for file in "$tf/$base" "$tf/$base"c*; do
			[ -f "$file" ] || continue
			[ "$(head -c "$bytes" "$file" | sha256sum | cut -d' ' -f1)" = "$sha" ] || continue
			echo "$src $sport $dst $dport $sha $(sha256sum <"$file" | cut -d' ' -f1)"
			break
		done
	done >"$WORK/cut.pairs"
	ncut=$(wc -l <"$WORK/cut.pairs")
	[ "$ncut" -gt 0 ] || return 0
	# Drop one line per pair from each list.
	awk 'FNR == NR { o[$1" "$2" "$3" "$4" "$5]++; next } { if (o[$0]-- > 0) next; print }' \
		"$WORK/cut.pairs" "$WORK/openwfp.sha" >"$WORK/openwfp.sha.new"
	awk 'FNR == NR { t[$1" "$2" "$3" "$4" "$6]++; next } { if (t[$0]-- > 0) next; print }' \
		"$WORK/cut.pairs" "$WORK/tcpflow.sha" >"$WORK/tcpflow.sha.new"
	mv "$WORK/openwfp.sha.new" "$WORK/openwfp.sha"
	mv "$WORK/tcpflow.sha.new" "$WORK/tcpflow.sha"
}

# check_extract LABEL CAPTURE: one more run of each, outside the timing.
check_extract() {
	local label=$1 cap=$2 n
	rm -rf "$SHM/tcpflow" "$SHM/extract"; mkdir "$SHM/tcpflow"
	tcpflow -r "$cap" -o "$SHM/tcpflow" >/dev/null 2>&1 &&
		"$OWFP" replay -q --extract "$SHM/extract" "$cap" >/dev/null 2>"$WORK/check.err" ||
		{ say "($label) extract check could not run: $(head -c 300 "$WORK/check.err")"; status=1; return; }
	if [ ! -f "$SHM/extract/flows.tsv" ]; then
		say "($label) MISMATCH: openwfp --extract wrote no flows.tsv"; status=1; return
	fi
	tcpflow_digests "$SHM/tcpflow" >"$WORK/tcpflow.sha"
	openwfp_digests "$SHM/extract" >"$WORK/openwfp.sha"
	cut_by_rst "$SHM/tcpflow" "$SHM/extract"
	n=$(diff "$WORK/tcpflow.sha" "$WORK/openwfp.sha" | grep -c '^[<>]')
	if [ "$n" -eq 0 ]; then
		printf '  extract check: %s flow directions, sha256 equal to tcpflow%s\n' \
			"$(wc -l <"$WORK/tcpflow.sha")" \
			"$( [ "$ncut" -gt 0 ] && printf ' (%d cut by an RST: a prefix of tcpflow'"'"'s)' "$ncut")"
	else
		status=1
		printf '\n  !!!!!! (%s) MISMATCH: openwfp --extract differs from tcpflow on %s flow directions !!!!!!\n' "$label" "$n"
		diff "$WORK/tcpflow.sha" "$WORK/openwfp.sha" | grep '^[<>]' | head -10 |
			sed 's/^</  tcpflow only:/; s/^>/  openwfp only:/'
	fi
	rm -rf "$SHM/tcpflow" "$SHM/extract"
}

# ---------------------------------------------------------------- main
make_captures || { say "no captures, nothing measured"; exit 1; }

# capture_count is src/capture alone (reader + reassembly, counting sink):
# the part of openwfp's time that is not the WFP model.
HAVE_CAPTURE=0
if [ -x "$PROBES/capture_count" ] && "$PROBES/capture_count" "$CACHE/http.pcap" >/dev/null 2>"$WORK/probe.err"; then
	HAVE_CAPTURE=1
else
	say "SKIPPING capture probe: $(head -c 200 "$WORK/probe.err" 2>/dev/null)"
fi
HAVE_OWFP=0
printf 'filters: []\n' >"$WORK/nofilters.yaml"
if [ -x "$OWFP" ] && "$OWFP" replay --help >/dev/null 2>&1; then
	HAVE_OWFP=1
else
	say "SKIPPING openwfp: '$OWFP replay' is not available yet; measuring the peers only"
fi

# pair_ratio A B: the median over rounds of B's wall time over A's in the
# same round (A's speed over B's). Two tools that run one after the other
# see the same state of a shared machine, so this moves less than the
# ratio of the two medians, which can pair A's slow minute with B's quick
# one. Nothing if either failed or they ran a different number of rounds.
pair_ratio() {
	local a=$WORK/$1.runs b=$WORK/$2.runs
	[ -s "$a" ] && [ -s "$b" ] && ! grep -q fail "$a" "$b" || return 0
	[ "$(wc -l <"$a")" = "$(wc -l <"$b")" ] || return 0
	paste -d' ' "$a" "$b" | awk '$1 > 0 { printf "%.6f\n", $4 / $1 }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%.2f\n", v[int((NR + 1) / 2)] }'
}

# Wall-clock figures are only as quiet as the machine: say how busy it was.
printf 'machine: %s cores, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
run_capture a "$CACHE/bulk.pcap"
[ "$HAVE_OWFP" = 1 ] && have tcpflow && check_extract a "$CACHE/bulk.pcap"
run_capture b "$CACHE/http.pcap"
[ "$HAVE_OWFP" = 1 ] && have tcpflow && check_extract b "$CACHE/http.pcap"

echo
# The targets: per-round ratios (pair_ratio), median over the rounds.
echo "RATIO replay.a.openwfp/libnids.MB/s $(get a_pr_owfp_nids) >=2"
echo "RATIO replay.a.openwfp/tcpflow.MB/s $(get a_pr_owfp_tcpflow) >=10"
echo "RATIO replay.b.openwfp/libnids.flows/s $(get b_pr_owfp_nids) >=1.5"
echo "RATIO replay.a.openwfp/libnids.peakRSS $(ratio "$(get a_openwfp_rss)" "$(get a_libnids_rss)") <2"
echo "RATIO replay.b.openwfp/libnids.peakRSS $(ratio "$(get b_openwfp_rss)" "$(get b_libnids_rss)") <2"
# The same as ratios of the medians, as the tables above show them.
echo "RATIO replay.a.openwfp/libnids.MB/s.of_medians $(ratio "$(get a_openwfp_mbps)" "$(get a_libnids_mbps)") -"
echo "RATIO replay.a.openwfp/tcpflow.MB/s.of_medians $(ratio "$(get a_openwfp_mbps)" "$(get a_tcpflow_mbps)") -"
echo "RATIO replay.b.openwfp/libnids.flows/s.of_medians $(ratio "$(get b_openwfp_fps)" "$(get b_libnids_fps)") -"
# The same ratios on CPU time: steadier when the machine is shared.
echo "RATIO replay.a.openwfp/libnids.cpuMB/s $(ratio "$(get a_openwfp_cmbps)" "$(get a_libnids_cmbps)") -"
echo "RATIO replay.a.openwfp/tcpflow.cpuMB/s $(ratio "$(get a_openwfp_cmbps)" "$(get a_tcpflow_cmbps)") -"
echo "RATIO replay.b.openwfp/libnids.cpuflows/s $(ratio "$(get b_openwfp_cfps)" "$(get b_libnids_cfps)") -"
# Floors, per round: openwfp without any filter, and the capture path alone.
# A target above the floor cannot be met by making the filter work cheaper.
echo "RATIO replay.a.openwfp_nofilters/libnids.MB/s $(get a_pr_nof_nids) -"
echo "RATIO replay.b.openwfp_nofilters/libnids.flows/s $(get b_pr_nof_nids) -"
echo "RATIO replay.a.capture/libnids.MB/s $(get a_pr_cap_nids) -"
echo "RATIO replay.b.capture/libnids.flows/s $(get b_pr_cap_nids) -"
echo "RATIO replay.a.openwfp/libpcap.MB/s $(ratio "$(get a_openwfp_mbps)" "$(get a_libpcap_mbps)") -"
echo "RATIO replay.a.openwfp/cat.MB/s $(ratio "$(get a_openwfp_mbps)" "$(get a_cat_mbps)") -"
echo "RATIO replay.b.openwfp-extract/tcpflow.flows/s $(ratio "$(get b_openwfp_extract_fps)" "$(get b_tcpflow_fps)") -"
echo "RATIO replay.a.libnids/libpcap.MB/s $(ratio "$(get a_libnids_mbps)" "$(get a_libpcap_mbps)") -"
exit $status
