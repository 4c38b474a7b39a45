"""Password hashing: Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as
its first recommendation (19 MiB of memory, 2 iterations, 1 lane).

Why not Django's default (PBKDF2-SHA256, 1 000 000 iterations): a PBKDF2 hash costs about 0.6 s
of CPU on the two-core machine Lägesbild is sized for, so 200 agency contacts logging in during
the last minute before the reporting deadline need more CPU than the machine has
(docs/performance.md, "Deadline"). Argon2id at these parameters costs about 0.05 s and is
memory-hard, so it is also the stronger choice against GPU cracking. Django's own
`Argon2PasswordHasher` defaults to 100 MiB and 8 lanes (about 0.3 s here).

Existing PBKDF2 and Argon2 hashes keep working: Django checks a password against the hasher
named in the stored hash and re-hashes it with the first hasher of `PASSWORD_HASHERS` on the
next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP). Same algorithm name as Django's, so hashes
    made with other Argon2 parameters are verified and upgraded on login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
