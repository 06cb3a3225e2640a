# A private nginx on 127.0.0.1 for the tests that read over HTTP (sourced after
# hdf5/lib.sh): freeport, and nginx_up DIR 'LOG FORMAT' 'SERVER BLOCKS' URL,
# which writes DIR/nginx.conf (access log DIR/access.log in that format),
# starts nginx (NGPID) and waits until URL answers. The caller's cleanup kills
# NGPID. NGINX is empty when nginx is not installed.
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
freeport() { $PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
nginx_up() {
    local dir=$1 fmt=$2 servers=$3 url=$4
    mkdir -p "$dir"
    cat > "$dir/nginx.conf" <<CONF
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  log_format cb '$fmt';
  access_log $dir/access.log cb;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
$servers
}
CONF
    "$NGINX" -c "$dir/nginx.conf" -e "$dir/error.log" & NGPID=$!
    for _ in $(seq 50); do curl -s -o /dev/null "$url" && return 0; sleep 0.1; done
    echo "nginx did not answer at $url: $(tail -3 "$dir/error.log" 2>/dev/null)"
    return 1
}
# nginx_serve 'LOG FORMAT' ROOT PROBE-PATH: the usual set-up of a read test:
# skip (77) without nginx; PORT, NG=$WORK/nginx, URL=http://127.0.0.1:$PORT;
# ROOT (under $WORK) readable by nginx's workers; an EXIT trap that stops
# nginx and the PIDs in KILL_PIDS and removes $WORK; nginx serving ROOT,
# waited for at URL/PROBE-PATH.
KILL_PIDS=()
nginx_serve() {
    local fmt=$1 root=$2 probe=${3:-}
    if [ -z "$NGINX" ]; then echo "SKIP: nginx not installed (apt-get install nginx-light)"; exit 77; fi
    PORT=$(freeport)
    NG=$WORK/nginx NGPID=
    URL=http://127.0.0.1:$PORT
    chmod 755 "$WORK" "$root"   # nginx workers run as nobody
    trap 'kill $NGPID "${KILL_PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
    nginx_up "$NG" "$fmt" "  server { listen 127.0.0.1:$PORT; root $root; }" "$URL/$probe" || exit 1
}
