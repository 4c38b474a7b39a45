"""`make audit`: pip-audit against the locked requirements, or a plain "not done".

Run as `python -m lagesbild.core.audit REQUIREMENTS` with the file `uv export --frozen` wrote.
First it checks that a vulnerability service answers (PyPI's JSON API, else OSV). When neither
does, it says so and exits 2: an audit that could not run is never reported as a pass. Otherwise
it runs pip-audit on the pinned, hashed requirements (no resolution, nothing installed) and
passes on its exit status (1: a known vulnerability was found).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

# A probe each service must answer with the known vulnerabilities of an old Django: a mirror or a
# proxy that answers with a page, an error or package data without vulnerability data does not
# count as reachable (that would make every audit pass).
SERVICES = {
    "pypi": ("https://pypi.org/pypi/django/3.2/json", None, "vulnerabilities"),
    "osv": (
        "https://api.osv.dev/v1/query",
        {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "3.2"},
        "vulns",
    ),
}
UNREACHABLE = 2


def reachable(name: str, timeout: float = 10) -> bool:
    """True when the service lists the known vulnerabilities of the probe package."""
    url, body, key = SERVICES[name]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read(5_000_000))
    except Exception:  # noqa: BLE001 - every failure means "not reachable"
        return False
    return isinstance(answer, dict) and bool(answer.get(key))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("användning: python -m lagesbild.core.audit REQUIREMENTS.txt", file=sys.stderr)
        return UNREACHABLE
    requirements = argv[0]
    service = next((name for name in SERVICES if reachable(name)), None)
    if service is None:
        print(
            "GRANSKNINGEN ÄR INTE GJORD: ingen sårbarhetstjänst kunde nås (PyPI:s JSON-API och "
            "OSV svarade inte med sårbarhetsdata). Kör `make audit` på en maskin med nätåtkomst. Detta är inget "
            "godkänt resultat.",
            file=sys.stderr,
        )
        return UNREACHABLE
    print(f"Sårbarhetstjänst: {service}. Granskar {requirements} …", flush=True)
    cmd = [
        sys.executable, "-m", "pip_audit", "--disable-pip", "--requirement", requirements,
        "--vulnerability-service", service, "--progress-spinner", "off", "--strict",
    ]  # fmt: skip
    status = subprocess.call(cmd)
    if status == 0:
        print("Inga kända sårbarheter i de låsta beroendena.")
    else:
        print(f"pip-audit avslutades med status {status}: se ovan.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
