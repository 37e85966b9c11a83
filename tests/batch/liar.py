"""A registry that fails or lies, on 127.0.0.1:PORT (python's http.server).
PyPI simple API under /simple/<project>/, npm documents under /npm/<name>.
  good      a valid project            flaky     503 once, then valid
  badjson   truncated JSON             wronghash sha256 of other bytes
  missing   404                        slow      answers after 6 s
  stall     the file stops after 10 bytes
  huge      a 3 MiB file (over --max-download 1)
  npm: good, badintegrity (sha512 of other bytes), notjson, wrongname"""
import base64, hashlib, http.server, json, sys, time

ART = b"PK\x03\x04 not really a wheel " * 64
HUGE = b"x" * (3 << 20)
seen = set()

def page(project, fn, sha):
    return json.dumps({"meta": {"api-version": "1.1"}, "name": project,
        "files": [{"filename": fn, "url": "/files/" + fn, "hashes": {"sha256": sha},
                   "upload-time": "2024-05-01T12:00:00.000000Z"}]}).encode()

def npmdoc(name, sha512, port):
    fn = f"{name}-1.0.0.tgz"
    return json.dumps({"name": name, "versions": {"1.0.0": {"name": name, "version": "1.0.0",
        "dist": {"tarball": f"http://127.0.0.1:{port}/files/{fn}",
                 "integrity": "sha512-" + base64.b64encode(sha512).decode()}}},
        "time": {"1.0.0": "2024-05-01T12:00:00.000Z"}}).encode()

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def send(self, code, body, ctype="application/vnd.pypi.simple.v1+json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        p, port = self.path, self.server.server_address[1]
        good = hashlib.sha256(ART).hexdigest()
        if p.startswith("/simple/"):
            proj = p.split("/")[2]
            if proj in ("good", "flaky", "stall", "huge", "slow", "wronghash"):
                if proj == "flaky" and "flaky" not in seen:
                    seen.add("flaky"); return self.send(503, b"busy")
                if proj == "slow": time.sleep(6)
                sha = hashlib.sha256(HUGE).hexdigest() if proj == "huge" else good
                if proj == "wronghash": sha = hashlib.sha256(b"other").hexdigest()
                return self.send(200, page(proj, f"{proj}-1.0.tar.gz", sha))
            if proj == "badjson":
                return self.send(200, b'{"meta": {"api-version": "1.1"}, "files": [')
            return self.send(404, b"not found", "text/plain")
        if p.startswith("/npm/"):
            name = p[5:]
            if name == "good": return self.send(200, npmdoc("good", hashlib.sha512(ART).digest(), port), "application/json")
            if name == "badintegrity": return self.send(200, npmdoc("badintegrity", hashlib.sha512(b"x").digest(), port), "application/json")
            if name == "notjson": return self.send(200, b"<html>oops</html>", "text/html")
            if name == "wrongname": return self.send(200, npmdoc("someone-else", hashlib.sha512(ART).digest(), port), "application/json")
            return self.send(404, b'{"error":"not found"}', "application/json")
        if p.startswith("/files/"):
            fn = p[7:]
            if fn.startswith("huge"): return self.send(200, HUGE, "application/octet-stream")
            if fn.startswith("stall"):
                self.send_response(200)
                self.send_header("Content-Length", str(len(ART)))
                self.end_headers()
                self.wfile.write(ART[:10]); self.wfile.flush()
                time.sleep(30); return
            return self.send(200, ART, "application/octet-stream")
        self.send(404, b"", "text/plain")
    def log_message(self, *a): pass

class Quiet(http.server.ThreadingHTTPServer):
    def handle_error(self, *a): pass  # clients hanging up on purpose
Quiet(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
