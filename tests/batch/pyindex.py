"""A PEP 691 / PEP 503 simple index of local artifacts, on 127.0.0.1.

  pyindex.py gen ARTDIR ROOT      write ROOT/simple/<project>/index.{json,html}
                                  and ROOT/files/<artifact> (PEP 700 times from
                                  the file's mtime)
  pyindex.py serve ROOT PORT [--html-only]
                                  python's http.server, plus content
                                  negotiation: a directory with index.json is
                                  served as application/vnd.pypi.simple.v1+json
                                  when the client's Accept asks for it
"""
import hashlib, html, http.server, json, os, re, shutil, sys, time

def norm(n): return re.sub(r"[-_.]+", "-", n).lower()

def project_of(fn):
    if fn.endswith(".whl"): return fn.split("-")[0]
    stem = re.sub(r"\.(tar\.gz|zip)$", "", fn)
    return stem.rsplit("-", 1)[0]

def gen(art, root):
    simple, files = os.path.join(root, "simple"), os.path.join(root, "files")
    os.makedirs(simple, exist_ok=True); os.makedirs(files, exist_ok=True)
    projects = {}
    for fn in sorted(os.listdir(art)):
        if not re.search(r"\.(whl|tar\.gz|zip)$", fn): continue
        src = os.path.join(art, fn)
        shutil.copy2(src, os.path.join(files, fn))
        projects.setdefault(project_of(fn), []).append(fn)
    for p, fns in projects.items():
        d = os.path.join(simple, norm(p)); os.makedirs(d, exist_ok=True)
        entries = []
        for fn in fns:
            data = open(os.path.join(files, fn), "rb").read()
            t = time.gmtime(os.stat(os.path.join(files, fn)).st_mtime)
            entries.append({"filename": fn, "url": "../../files/" + fn,
                            "hashes": {"sha256": hashlib.sha256(data).hexdigest()},
                            "upload-time": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", t)})
        json.dump({"meta": {"api-version": "1.1"}, "name": norm(p), "versions": [],
                   "files": entries}, open(os.path.join(d, "index.json"), "w"))
        with open(os.path.join(d, "index.html"), "w") as h:
            h.write("<!DOCTYPE html><html><body>\n")
            for e in entries:
                h.write('<a href="%s#sha256=%s">%s</a><br/>\n' % (
                    html.escape(e["url"]), e["hashes"]["sha256"], html.escape(e["filename"])))
            h.write("</body></html>\n")
    names = sorted(norm(p) for p in os.listdir(simple) if os.path.isdir(os.path.join(simple, p)))
    json.dump({"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in names]},
              open(os.path.join(simple, "index.json"), "w"))
    with open(os.path.join(simple, "index.html"), "w") as h:
        h.write("<html><body>\n" + "".join('<a href="%s/">%s</a>\n' % (n, n) for n in names) + "</body></html>\n")

class Handler(http.server.SimpleHTTPRequestHandler):
    html_only = False
    def send_head(self):
        path = self.translate_path(self.path)
        if (not self.html_only and os.path.isdir(path) and self.path.endswith("/")
                and "application/vnd.pypi.simple.v1+json" in self.headers.get("Accept", "")
                and os.path.exists(os.path.join(path, "index.json"))):
            f = open(os.path.join(path, "index.json"), "rb")
            data = f.read(); f.close()
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            import io
            return io.BytesIO(data)
        return super().send_head()
    def log_message(self, *a): pass

if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3])
    else:
        os.chdir(sys.argv[2])
        Handler.html_only = "--html-only" in sys.argv
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[3])), Handler).serve_forever()
