"""A stand-in for a master's API server in the namespace lab: HTTPS on the given address.

GET /readyz answers 200 unless the file <flag_dir>/unready exists (then 500); every other path
answers 200 with the master's name, so a client behind the load balancer sees who served it.
TLS handshakes happen in the per-connection threads, so a slow client never blocks the others.
"""
import http.server
import os
import ssl
import sys

bind, port, cert, key, name, flag_dir = sys.argv[1:7]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        if self.path == "/readyz" and os.path.exists(os.path.join(flag_dir, "unready")):
            code, body = 500, b"not ready\n"
        else:
            code, body = 200, (name + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = self.socket.accept()
        return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server = Server((bind, int(port)), Handler)
print("listening", flush=True)
server.serve_forever()
