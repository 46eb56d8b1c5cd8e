from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the smallest cost, for tests only.

    The production cost (100 MB, two passes) takes about 0.4 s per hash, and every
    test user is hashed. The hashes keep Argon2's format, so the real hasher checks them.
    """

    time_cost = 1
    memory_cost = 8
    parallelism = 1
