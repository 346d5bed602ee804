# Test cases for python.flask-debug-enabled: a module without Flask is out of scope.
# Negative-only cases use a plain comment, not an "ok" annotation: the semgrep --test runner
# requires each annotated rule to fire at least once in the file. Any finding here still fails.
import tornado.ioloop


def main(server, job):
    # expect no finding (python.flask-debug-enabled)
    server.run(debug=True)
    # expect no finding (python.flask-debug-enabled)
    job.debug = True
    tornado.ioloop.IOLoop.current().start()
