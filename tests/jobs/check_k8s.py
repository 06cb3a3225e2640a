#!/usr/bin/python3
"""Checks jobs/k8s/ and jobs/container/ without Kubernetes or a container engine.

- every YAML parses; kinds and fields are sane (Namespace; Jobs with a pod
  template, restartPolicy, images, string env values, secrets that
  make_secrets.sh creates, $(VAR) references that Kubernetes can expand);
- the writer Job is a work queue (no completions) running
  `chunkbench write <domain> --schedule server`;
- every container command line is one the real chunkbench accepts: with
  --help it exits 0; without, against an unreachable endpoint, it fails with a
  connection error, not a usage error (exit code 2);
- the Containerfile: Debian bookworm stages, packages that exist, sources that
  exist, an entrypoint script that runs the same write command (run here for
  real, with the real binary);
- make_secrets.sh and scale_job.sh against a fake kubectl.

Env: CHUNKBENCH (the program, required), CB_SRC (the source tree; default:
two levels up from here). PyYAML comes from Debian's python3-yaml, installed
when missing (as root).
"""
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("CB_SRC") or os.path.dirname(os.path.dirname(HERE))
K8S = os.path.join(SRC, "jobs", "k8s")
CONTAINER = os.path.join(SRC, "jobs", "container")
CB = os.environ.get("CHUNKBENCH")

failures = []
passes = 0


def ok(msg):
    global passes
    passes += 1
    print(f"PASS: {msg}")


def bad(msg):
    failures.append(msg)
    print(f"FAIL: {msg}")


def check(cond, msg):
    (ok if cond else bad)(msg)
    return cond


def load_yaml_module():
    try:
        import yaml  # noqa: F401
        return yaml
    except ImportError:
        pass
    if os.geteuid() != 0:
        sys.exit("FAIL: PyYAML missing; install Debian's python3-yaml (apt-get install python3-yaml)")
    print("installing python3-yaml")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "-y", "-q"]
    r = subprocess.run(apt + ["install", "--no-install-recommends", "python3-yaml"], env=env)
    if r.returncode != 0:
        subprocess.run(apt + ["update"], env=env)
        subprocess.run(apt + ["install", "--no-install-recommends", "python3-yaml"], env=env, check=True)
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml
    return yaml


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
VAR_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def expand(s, env):
    """Kubernetes' $(VAR) expansion in command/args."""
    return VAR_REF.sub(lambda m: env.get(m.group(1), m.group(0)), s)


def secret_spec():
    """Secret name and keys that make_secrets.sh creates."""
    text = open(os.path.join(K8S, "make_secrets.sh")).read()
    m = re.search(r"create secret generic\s+([a-z0-9-]+)", text)
    keys = set(re.findall(r"--from-file=([A-Za-z0-9_.-]+)=", text))
    return (m.group(1) if m else None), keys


def run_cb(argv, extra_env, cwd, timeout=120):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": cwd,  # no ~/.hscfg of whoever runs the test
        "OMPI_MCA_ess_singleton_isolated": "1",
        "OMPI_ALLOW_RUN_AS_ROOT": "1",
        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    }
    env.update(extra_env)
    try:
        r = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout} s"


def check_command_line(what, argv, tmp):
    """argv: the container's command line, argv[0] the program name."""
    real = [CB] + argv[1:]
    rc, out, err = run_cb(real + ["--help"], {}, tmp)
    check(rc == 0 and "usage:" in out,
          f"{what}: `{shlex.join(['chunkbench'] + argv[1:] + ['--help'])}` exits 0 with usage (got {rc}: {err.strip()[:200]})")
    endpoint = f"http://127.0.0.1:{closed_port()}"
    rc, out, err = run_cb(real, {"HS_ENDPOINT": endpoint, "HS_USERNAME": "user", "HS_PASSWORD": "secret"}, tmp)
    conn = re.search(r"reach|connect|refused", err, re.I) is not None
    check(rc not in (None, 0, 2) and conn,
          f"{what}: same arguments against unreachable {endpoint} fail with a connection error, "
          f"not a usage error (exit {rc}: {err.strip()[:300]})")


def check_job(doc, path, secret_name, secret_keys, tmp):
    name = doc.get("metadata", {}).get("name", "")
    where = f"{os.path.basename(path)}: Job {name}"
    check(doc.get("apiVersion") == "batch/v1", f"{where}: apiVersion batch/v1")
    check(isinstance(name, str) and DNS_LABEL.match(name) is not None and len(name) <= 63,
          f"{where}: metadata.name is a DNS label")
    check("namespace" not in doc["metadata"],
          f"{where}: no hard-coded namespace (kubectl --namespace / K8S_NAMESPACE decides)")
    spec = doc.get("spec") or {}
    par = spec.get("parallelism")
    check(isinstance(par, int) and par >= 1, f"{where}: spec.parallelism is a positive integer ({par!r})")
    for k in ("completions", "backoffLimit"):
        if k in spec:
            check(isinstance(spec[k], int) and spec[k] >= 0, f"{where}: spec.{k} is a non-negative integer")
    pod = (spec.get("template") or {}).get("spec") or {}
    check(pod.get("restartPolicy") in ("Never", "OnFailure"),
          f"{where}: restartPolicy Never or OnFailure (a Job's pods may not use Always)")
    containers = pod.get("containers") or []
    if not check(isinstance(containers, list) and len(containers) >= 1, f"{where}: has containers"):
        return None
    commands = []
    for c in containers:
        cw = f"{where}, container {c.get('name')}"
        check(isinstance(c.get("name"), str) and DNS_LABEL.match(c["name"]) is not None, f"{cw}: name is a DNS label")
        check(isinstance(c.get("image"), str) and c["image"].strip() != "", f"{cw}: has an image")
        cmd, args = c.get("command"), c.get("args", [])
        if not check(isinstance(cmd, list) and cmd and all(isinstance(x, str) for x in cmd),
                     f"{cw}: command is a list of strings"):
            continue
        check(isinstance(args, list) and all(isinstance(x, str) for x in args), f"{cw}: args is a list of strings")
        env = c.get("env") or []
        names = [e.get("name") for e in env]
        check(len(names) == len(set(names)), f"{cw}: env names are unique")
        values = {}
        env_ok = True
        for e in env:
            has_value, has_from = "value" in e, "valueFrom" in e
            if has_value == has_from:
                env_ok = False
                bad(f"{cw}: env {e.get('name')} needs exactly one of value and valueFrom")
                continue
            if has_value:
                if not isinstance(e["value"], str):
                    env_ok = False
                    bad(f"{cw}: env {e['name']} value {e['value']!r} must be a string (quote it)")
                    continue
                values[e["name"]] = e["value"]
            else:
                ref = (e["valueFrom"] or {}).get("secretKeyRef") or {}
                if ref.get("name") != secret_name or ref.get("key") not in secret_keys:
                    env_ok = False
                    bad(f"{cw}: env {e['name']} reads secret {ref.get('name')}/{ref.get('key')}, "
                        f"but make_secrets.sh makes {secret_name} with keys {sorted(secret_keys)}")
                values[e["name"]] = f"<secret {ref.get('key')}>"
        check(env_ok, f"{cw}: env entries well formed, values strings, secrets as made by make_secrets.sh")
        for cred in ("HS_USERNAME", "HS_PASSWORD"):
            e = next((x for x in env if x.get("name") == cred), None)
            check(e is not None and "valueFrom" in e, f"{cw}: {cred} comes from the Secret")
        ep = values.get("HS_ENDPOINT", "")
        check(re.match(r"^https?://", ep) is not None, f"{cw}: HS_ENDPOINT is set in env ({ep!r})")
        refs = [m for s in cmd + args for m in VAR_REF.findall(s)]
        missing = [r for r in refs if r not in values]
        check(not missing, f"{cw}: every $(VAR) in command/args is defined in env (missing: {missing})")
        argv = [expand(s, values) for s in cmd + args]
        check(argv[0] in ("chunkbench", "/usr/local/bin/chunkbench"), f"{cw}: runs chunkbench ({argv[0]})")
        commands.append((cw, argv, cmd))
    return name, spec, commands


def main():
    if not CB or not os.access(CB, os.X_OK):
        sys.exit(f"FAIL: set CHUNKBENCH to the program (got {CB!r})")
    yaml = load_yaml_module()
    tmp = tempfile.mkdtemp(prefix="cbk8s.")
    try:
        run_checks(yaml, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passes} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def run_checks(yaml, tmp):
    secret_name, secret_keys = secret_spec()
    check(secret_name is not None and {"hs_username", "hs_password"} <= secret_keys,
          f"make_secrets.sh makes a secret with keys hs_username, hs_password ({secret_name}, {sorted(secret_keys)})")

    files = sorted(f for f in os.listdir(K8S) if f.endswith((".yml", ".yaml")))
    check(len(files) >= 2, f"jobs/k8s has YAML files ({files})")
    namespaces, jobs = [], {}
    for f in files:
        path = os.path.join(K8S, f)
        try:
            docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
        except yaml.YAMLError as e:
            bad(f"{f}: does not parse: {e}")
            continue
        ok(f"{f}: parses ({len(docs)} document{'s' if len(docs) != 1 else ''})")
        for d in docs:
            if not check(isinstance(d, dict) and {"apiVersion", "kind", "metadata"} <= set(d),
                         f"{f}: document has apiVersion, kind, metadata"):
                continue
            if d["kind"] == "Namespace":
                check(d["apiVersion"] == "v1" and DNS_LABEL.match(d["metadata"].get("name", "")) is not None,
                      f"{f}: Namespace {d['metadata'].get('name')} (v1, DNS label)")
                namespaces.append(d["metadata"]["name"])
            elif d["kind"] == "Job":
                r = check_job(d, path, secret_name, secret_keys, tmp)
                if r:
                    jobs[r[0]] = (f, r[1], r[2])
            else:
                bad(f"{f}: unexpected kind {d['kind']}")

    check(namespaces == ["hsperf"], f"one Namespace, hsperf, as the scripts' default ({namespaces})")
    writers = [(n, j) for n, j in jobs.items() for (_, argv, _) in j[2] if argv[1:2] == ["write"]]
    if check(len(writers) == 1, f"exactly one writer Job ({[n for n, _ in writers]})"):
        wname, (wf, wspec, wcmds) = writers[0]
        _, argv, raw = wcmds[0]
        check(raw[:5] == ["chunkbench", "write", "$(HS_WRITE_TEST_DOMAIN)", "--schedule", "server"],
              f"{wf}: pods run `chunkbench write $(HS_WRITE_TEST_DOMAIN) --schedule server` ({raw})")
        check("completions" not in wspec, f"{wf}: no completions: a work queue that ends when the tasks run out")
        scale = open(os.path.join(K8S, "scale_job.sh")).read()
        check(re.search(rf"patch job {re.escape(wname)}\b", scale) is not None,
              f"scale_job.sh patches the writer Job {wname}")
        check(argv[2].startswith("hdf5://"), f"{wf}: the domain is an hdf5:// target ({argv[2]})")
    for name, (f, spec, cmds) in jobs.items():
        for cw, argv, _ in cmds:
            check_command_line(cw, argv, tmp)

    check_container(tmp)
    check_scripts(tmp)


def check_container(tmp):
    path = os.path.join(CONTAINER, "Containerfile")
    text = open(path).read()
    # Join continuation lines, drop comments.
    lines, cur = [], ""
    for raw in text.splitlines():
        s = raw.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if s.startswith("#"):
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        lines.append(cur + s)
        cur = ""
    instr = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l else "") for l in lines]
    froms = [a.split()[0] for k, a in instr if k == "FROM"]
    check(froms and all(re.match(r"^(docker\.io/)?(library/)?debian:bookworm(-slim)?(@.*)?$", f) for f in froms),
          f"Containerfile: every stage is Debian bookworm ({froms})")
    runs = " ".join(a for k, a in instr if k == "RUN")
    check("cmake -S" in runs and "cmake --build" in runs and "BUILD_TESTING=OFF" in runs,
          "Containerfile: builds chunkbench with CMake")
    pkgs = []
    for k, a in instr:
        if k == "RUN":
            for m in re.finditer(r"apt-get install ([^&;|]*)", a):
                pkgs += [w for w in m.group(1).split() if not w.startswith("-")]
    check({"cmake", "libhdf5-openmpi-dev", "libcjson-dev", "libcurl4-openssl-dev", "libssl-dev", "libopenmpi-dev"} <= set(pkgs),
          "Containerfile: installs the build dependencies")
    # The names are the base image's release's (libopenmpi3 is bookworm's,
    # trixie has libopenmpi40): apt here knows only this host's release.
    host_release = ""
    if os.path.exists("/etc/os-release"):
        for line in open("/etc/os-release"):
            if line.startswith("VERSION_CODENAME="):
                host_release = line.split("=", 1)[1].strip().strip('"')
    if shutil.which("apt-cache") and host_release != "bookworm":
        print(f"NOTE: Containerfile: package names not checked: they are bookworm's, and apt here has {host_release or 'no Debian'}'s archive")
    elif shutil.which("apt-cache"):
        # One `apt-cache policy` for all: a package it knows gets a block
        # "name:" ... "  Candidate: version" (not "(none)").
        out = subprocess.run(["apt-cache", "policy"] + pkgs, capture_output=True, text=True).stdout
        known, cur = set(), None
        for line in out.splitlines():
            if line and not line[0].isspace() and line.endswith(":"):
                cur = line[:-1].split(":")[0]
            elif cur and line.strip().startswith("Candidate:") and "(none)" not in line:
                known.add(cur)
        missing = [p for p in pkgs if p not in known]
        check(not missing, f"Containerfile: all {len(pkgs)} packages exist in this Debian's archive (missing: {missing})")
    for k, a in instr:
        if k == "COPY" and "--from=" not in a:
            src = a.split()[0]
            check(os.path.exists(os.path.join(SRC, src)), f"Containerfile: COPY source {src} exists in the tree")
    ep = [a for k, a in instr if k == "ENTRYPOINT"]
    if not check(len(ep) == 1, "Containerfile: one ENTRYPOINT"):
        return
    try:
        ep_argv = json.loads(ep[0])
    except ValueError:
        ep_argv = None
    check(isinstance(ep_argv, list), f"Containerfile: ENTRYPOINT in exec (JSON) form ({ep[0]})")
    copies = {a.split()[-1]: a.split()[0] for k, a in instr if k == "COPY" and "--from=" not in a}
    script = next((copies[x] for x in (ep_argv or []) if x in copies), None)
    if not check(script is not None, "Containerfile: ENTRYPOINT runs a script COPY'd from the tree"):
        return
    script = os.path.join(SRC, script)
    check(subprocess.run(["sh", "-n", script]).returncode == 0, f"{os.path.relpath(script, SRC)}: sh -n")

    # Run the entrypoint for real with chunkbench on PATH.
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "chunkbench")
    if not os.path.exists(link):
        os.symlink(os.path.abspath(CB), link)
    path = bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin")
    dom = "hdf5://home/perftest/write.h5"
    endpoint = f"http://127.0.0.1:{closed_port()}"
    base = {"PATH": path, "HS_USERNAME": "user", "HS_PASSWORD": "secret", "HS_BUCKET": ""}
    rc, out, err = run_cb(["sh", script, "--help"], dict(base, HS_WRITE_TEST_DOMAIN=dom, HS_ENDPOINT=endpoint), tmp)
    check(rc == 0 and "chunkbench write" in out,
          f"entrypoint with --help: `chunkbench write {dom} --schedule server --help` exits 0 (got {rc}: {err.strip()[:200]})")
    rc, out, err = run_cb(["sh", script], dict(base, HS_WRITE_TEST_DOMAIN=dom, HS_ENDPOINT=endpoint), tmp)
    check(rc not in (None, 0, 2) and re.search(r"reach|connect|refused", err, re.I) is not None,
          f"entrypoint: unreachable endpoint gives a connection error, not a usage error (exit {rc}: {err.strip()[:300]})")
    rc, out, err = run_cb(["sh", script], dict(base, HS_ENDPOINT=endpoint), tmp)
    check(rc == 2 and "HS_WRITE_TEST_DOMAIN" in err,
          f"entrypoint without HS_WRITE_TEST_DOMAIN: exit 2 naming it (exit {rc}: {err.strip()[:200]})")


FAKE_KUBECTL = r'''#!/usr/bin/python3
import json, os, re, sys
rec = {"argv": sys.argv[1:], "files": {}, "stdin": None}
for a in sys.argv[1:]:
    m = re.match(r"--from-file=([^=]+)=(.*)", a)
    if m:
        rec["files"][m.group(1)] = open(m.group(2)).read()
if sys.argv[1:2] == ["apply"] and "-" in sys.argv:
    rec["stdin"] = sys.stdin.read()
with open(os.environ["FAKE_KUBECTL_LOG"], "a") as f:
    f.write(json.dumps(rec) + "\n")
if "--dry-run=client" in sys.argv:
    print("apiVersion: v1\nkind: Secret\nmetadata:\n  name: fake\n")
'''


def check_scripts(tmp):
    for s in ("make_secrets.sh", "scale_job.sh"):
        check(subprocess.run(["bash", "-n", os.path.join(K8S, s)]).returncode == 0, f"{s}: bash -n")
    fake_dir = os.path.join(tmp, "fakebin")
    os.makedirs(fake_dir, exist_ok=True)
    kc = os.path.join(fake_dir, "kubectl")
    with open(kc, "w") as f:
        f.write(FAKE_KUBECTL)
    os.chmod(kc, 0o755)
    log = os.path.join(tmp, "kubectl.log")

    def run(script, args, extra):
        if os.path.exists(log):
            os.remove(log)
        env = {"PATH": fake_dir + ":/usr/bin:/bin", "FAKE_KUBECTL_LOG": log, "HOME": tmp}
        env.update(extra)
        r = subprocess.run(["bash", os.path.join(K8S, script)] + args, env=env, capture_output=True, text=True,
                           timeout=60)
        calls = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
        return r, calls

    pw = "p@ss w0rd'\"$x"
    r, calls = run("make_secrets.sh", [], {"HS_USERNAME": "alice", "HS_PASSWORD": pw})
    create = next((c for c in calls if c["argv"][:3] == ["create", "secret", "generic"]), None)
    apply = next((c for c in calls if c["argv"][:1] == ["apply"]), None)
    check(r.returncode == 0 and create and apply, f"make_secrets.sh runs kubectl create + apply (exit {r.returncode}: {r.stderr.strip()[:200]})")
    if create:
        check(create["files"] == {"hs_username": "alice", "hs_password": pw},
              f"make_secrets.sh: secret keys hs_username/hs_password hold the values exactly ({create['files']})")
        check("hsperf" in create["argv"] and apply and "hsperf" in apply["argv"],
              "make_secrets.sh: namespace hsperf by default")
        check(all(pw not in a and "alice" not in a for c in calls for a in c["argv"]),
              "make_secrets.sh: credentials never on a command line")
    r, calls = run("make_secrets.sh", [], {"HS_USERNAME": "alice"})
    check(r.returncode != 0 and not calls and "HS_PASSWORD" in r.stderr,
          "make_secrets.sh without HS_PASSWORD: fails, names it, calls no kubectl")

    r, calls = run("scale_job.sh", ["7"], {})
    patch = calls[0]["argv"] if calls else []
    body = None
    if "-p" in patch:
        try:
            body = json.loads(patch[patch.index("-p") + 1])
        except ValueError:
            pass
    check(r.returncode == 0 and patch[:3] == ["patch", "job", "chunkbench-write"] and "hsperf" in patch
          and body == {"spec": {"parallelism": 7}},
          f"scale_job.sh 7: kubectl patch job chunkbench-write parallelism 7 in hsperf ({patch})")
    r, calls = run("scale_job.sh", ["3"], {"K8S_NAMESPACE": "bench"})
    check(calls and "bench" in calls[0]["argv"], "scale_job.sh: K8S_NAMESPACE picks the namespace")
    for args in (["x"], [], ["1", "2"], ["-1"]):
        r, calls = run("scale_job.sh", args, {})
        check(r.returncode == 2 and not calls, f"scale_job.sh {' '.join(args) or '(no N)'}: usage error, no kubectl")


if __name__ == "__main__":
    main()
