"""Start a patched moto server on 127.0.0.1 (run as a script by the deploy harness).

    python deploy_moto_launcher.py --port-file PATH

Binds 127.0.0.1 on a free port, applies :mod:`deploy_moto_patches`, writes the port to
``--port-file`` once the server accepts connections, and serves until SIGTERM/SIGINT or until
its parent process (the test session) is gone.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

HOST = "127.0.0.1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()

    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(threadName)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    # Records of a Lambda handler thread are collected by the runner (and logged as one block).
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: not record.threadName.startswith("lambda-"))
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    from moto.server import ThreadedMotoServer

    import deploy_moto_glue
    import deploy_moto_monitoring
    import deploy_moto_patches

    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    if host != HOST:
        raise SystemExit(f"moto bound {host}, expected {HOST}")
    endpoint = f"http://{HOST}:{port}"

    # Anything in this process that creates a boto3 client (the in-process Lambda runner's
    # handlers) talks to this server, never to AWS, and never looks for real credentials.
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
    )
    for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ.pop(variable, None)
    os.environ["NO_PROXY"] = HOST

    deploy_moto_patches.apply(endpoint)
    deploy_moto_glue.apply()
    deploy_moto_monitoring.apply()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    temporary = args.port_file + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(str(port))
    os.replace(temporary, args.port_file)
    logging.getLogger("deploy_harness").info("moto %s serving on %s", os.getpid(), endpoint)

    # Also stop when the test process is gone (killed without running its finalizers).
    parent = os.getppid()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            break
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
