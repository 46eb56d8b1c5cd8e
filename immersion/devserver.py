"""Helpers for `make run`, using only the standard library so they run before any set-up.

    python immersion/devserver.py check HOST PORT   exit 1, saying why, if the port is taken
    python immersion/devserver.py hosts HOST        the ALLOWED_HOSTS that let a phone in

Checking the port first means a second `make run` stops at once, before it migrates or
seeds anything, instead of failing after a minute with Django's "port in use".
"""

import contextlib
import errno
import ipaddress
import socket
import sys

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EVERY_ADDRESS = {"0.0.0.0", "::"}  # noqa: S104 (naming it, not binding to it)


def port_problem(host: str, port: int) -> str | None:
    """Why the development server could not listen on host:port, or None if it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the development server does: a port left in TIME_WAIT is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} on {host} is already in use: is another `make run` still "
                    f"running? Stop it, or pick another port: make run PORT={port + 1}"
                )
            return f"Cannot listen on {host}:{port}: {error.strerror or error}."
        except (socket.gaierror, OverflowError) as error:
            return f"Cannot listen on {host}:{port}: {error}."
    return None


def own_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses, the ones a phone on the LAN can reach."""
    found = set()
    with contextlib.suppress(OSError):
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    # The address the default route leaves from; connecting a UDP socket sends nothing.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, contextlib.suppress(OSError):
        udp.connect(("192.0.2.1", 9))
        found.add(udp.getsockname()[0])
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def reachable_at(host: str) -> list[str]:
    """The addresses, beyond this machine, that the server answers on."""
    if host in EVERY_ADDRESS:
        return own_addresses()
    return [] if is_loopback(host) else [host]


def allowed_hosts(host: str) -> list[str]:
    """Loopback always; the machine's own addresses too when serving beyond it."""
    return LOCAL_HOSTS + [address for address in reachable_at(host) if address not in LOCAL_HOSTS]


def main(argv: list[str]) -> int:
    command, host, *rest = argv
    if command == "check":
        port = int(rest[0])
        problem = port_problem(host, port)
        if problem:
            print(problem, file=sys.stderr)
            return 1
        for address in reachable_at(host):
            print(f"On a phone on the same network, open http://{address}:{port}/")
        return 0
    if command == "hosts":
        print(",".join(allowed_hosts(host)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
