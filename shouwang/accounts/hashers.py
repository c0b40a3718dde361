"""The hash of an initial password: PBKDF2-SHA256 with few iterations.

An initial password is random (PASSWORD_LENGTH characters of PASSWORD_ALPHABET,
about 58 bits), used once and replaced at the forced change, and refused
after INITIAL_PASSWORD_DAYS. Key stretching protects passwords people choose,
which a dictionary finds; it adds nothing a random 58-bit secret lacks, and at
Django's default cost (about 250 ms here) issuing 30,000 would take two hours.
docs/decisions.md has the reasoning and the figures.

The hasher is registered after the default in PASSWORD_HASHERS, never first:
Django hashes every password a person chooses with the default, so the forced
change replaces this hash with a full-strength one.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_initial"
    iterations = 1000
