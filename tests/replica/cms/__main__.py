"""``python -m tests.replica.cms --layout wordpress --host 127.0.0.3 --port 0 --truth T.json``:
serve one CMS replica on loopback; print its URL once listening, serve until SIGTERM."""

from __future__ import annotations

import argparse
import ipaddress
import json
import signal
import sys
from pathlib import Path
from types import FrameType

from . import LAYOUTS, CmsServer


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.replica.cms")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--truth", default="")
    args = parser.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        print("replica: error: --host must be a loopback address", file=sys.stderr)
        return 2
    server = CmsServer((args.host, args.port), args.layout)
    if args.truth:
        Path(args.truth).write_text(json.dumps(server.site.truth, ensure_ascii=False),
                                    encoding="utf-8")
    signal.signal(signal.SIGTERM, _stop)
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
