"""Command line: `python -m tests.replica serve|truth ...` (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import signal
import ssl
import sys
from pathlib import Path
from types import FrameType

from .corpus import CorpusError, load_corpus
from .faults import FaultPlan, FaultPlanError
from .publisher import Publisher
from .redesign import LAYOUTS
from .russian import build_russian_site
from .server import AccessLog, ReplicaHTTPServer, is_loopback
from .site import REAL_BASE, Site, build_site
from .tls import TestCA, self_signed_context


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tests.replica",
                                description="Offline replica of The Moscow Times.")
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--articles", type=int, default=300, help="generated articles (0 = none)")
    common.add_argument("--seed", type=int, default=1)
    common.add_argument("--corpus", help="JSON lines file of extra articles")
    common.add_argument("--layout", choices=LAYOUTS, default="classic",
                        help="article page template: the site's own (classic) or a redesign "
                             "(see tests/replica/redesign.py)")
    serve = sub.add_parser("serve", parents=[common], help="serve the site until killed")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--host", default="127.0.0.1", help="a loopback address")
    serve.add_argument("--ru", action="store_true",
                       help="serve the Russian edition (ru.themoscowtimes.com: Russian "
                            "articles, its own IDs) instead; e.g. with --host 127.0.0.2")
    serve.add_argument("--truth", help="write the ground truth JSON here before serving")
    serve.add_argument("--access-log", help="append the access log here as JSON lines")
    serve.add_argument("--faults", metavar="PLAN.json", help="serve the faults of this plan "
                       "(see tests/replica/faults.py)")
    serve.add_argument("--publish-every", type=float, metavar="T",
                       help="publish held-back articles every T seconds")
    serve.add_argument("--publish-count", type=int, default=1, metavar="K",
                       help="articles published each time (default 1)")
    serve.add_argument("--hold", type=int, metavar="N",
                       help="articles held back at start (default 100 with --publish-every)")
    serve.add_argument("--page-kb", type=int, metavar="KB",
                       help="bring every article page to about KB kilobytes with page "
                            "furniture (inline SVG icons, the front end's JSON state), as the "
                            "real site's 60-150 KB pages; the article text is unchanged "
                            "(benchmarks: bench/crawl.py)")
    serve.add_argument("--tls", action="store_true",
                       help="HTTPS with a throwaway self-signed certificate (TLS must fail)")
    serve.add_argument("--tls-ca-out", metavar="FILE",
                       help="HTTPS with a certificate from a throwaway test CA whose "
                            "certificate is written to FILE (trust it, e.g. SSL_CERT_FILE=FILE)")
    truth = sub.add_parser("truth", parents=[common], help="write the ground truth and exit")
    truth.add_argument("--out", default="-", help="output file ('-' = stdout)")
    truth.add_argument("--base", default=REAL_BASE, help="base URL used in the truth URLs")
    return p


def _fail(message: str) -> int:
    print(f"replica: error: {message}", file=sys.stderr)
    return 2


def _write_json(target: str, doc: object) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if target == "-":
        sys.stdout.write(text)
        return
    _write_atomically(target, text)


def _write_atomically(target: str, text: str) -> None:
    path = Path(target)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _extras(args: argparse.Namespace) -> tuple[FaultPlan | None, ssl.SSLContext | None]:
    plan = FaultPlan.load(args.faults) if args.faults else None
    if args.publish_every is not None and (args.publish_every <= 0 or args.publish_count < 1):
        raise FaultPlanError("--publish-every must be > 0 and --publish-count >= 1")
    context = self_signed_context(args.host) if args.tls else None
    if args.tls_ca_out:
        ca = TestCA()
        _write_atomically(args.tls_ca_out, ca.pem.decode("ascii"))
        context = ca.server_context(args.host)
    return plan, context


def _serve(args: argparse.Namespace, site: Site) -> int:
    if not is_loopback(args.host):
        return _fail(f"--host must be a loopback address, not {args.host!r}")
    try:
        plan, context = _extras(args)
        server = ReplicaHTTPServer(site, args.host, args.port, AccessLog(args.access_log),
                                   context)
    except FaultPlanError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    if plan is not None:
        plan.install(server)
    site.page_kb = args.page_kb
    publisher = None
    if args.publish_every is not None or args.hold:
        publisher = Publisher(site, server, args.hold if args.hold is not None else 100)
        if args.publish_every is not None:
            publisher.start(args.publish_every, args.publish_count)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        if args.truth:
            _write_json(args.truth, site.truth(server.base_url))
        print(server.base_url, flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        if publisher is not None:
            publisher.stop()
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.articles < 0:
        return _fail("--articles must be >= 0")
    if getattr(args, "page_kb", None) is not None and not 1 <= args.page_kb <= 4096:
        return _fail("--page-kb must be 1 to 4096")
    try:
        if getattr(args, "ru", False):
            extra = load_corpus(args.corpus) if args.corpus else []
            site = build_russian_site(args.seed, extra)
        else:
            site = build_site(args.articles, args.seed, args.corpus, layout=args.layout)
    except CorpusError as exc:
        return _fail(str(exc))
    if args.command == "truth":
        try:
            _write_json(args.out, site.truth(args.base.rstrip("/")))
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
        return 0
    return _serve(args, site)


if __name__ == "__main__":
    sys.exit(main())
