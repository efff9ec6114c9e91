#!/usr/bin/env python3
"""Deterministic inputs for .ci/bench-hashsets (numpy PCG64, fixed seeds).

  sha1  N OUT              sum list of N random SHA-1 digests ("<hex>  x" lines)
  sha1q LIST Q OUT         Q queries: every other one sampled from LIST's digests, the rest absent
  pdq   N PLANTED OUT QOUT PDQ list of N random hashes, PLANTED of them near-duplicate clusters;
                           QOUT gets random queries and queries near listed hashes
"""
import sys
import numpy as np

HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex_lines(raw, suffix):
    """raw: (n, k) uint8 -> bytes of n lines '<2k hex><suffix>'."""
    n, k = raw.shape
    out = np.empty((n, 2 * k + len(suffix)), dtype=np.uint8)
    out[:, 0:2 * k:2] = HEX[raw >> 4]
    out[:, 1:2 * k:2] = HEX[raw & 15]
    out[:, 2 * k:] = np.frombuffer(suffix, dtype=np.uint8)
    return out.tobytes()


def sha1(n, path, seed=1):
    rng = np.random.Generator(np.random.PCG64(seed))
    with open(path, "wb") as f:
        done = 0
        while done < n:
            m = min(1 << 20, n - done)
            f.write(hex_lines(rng.integers(0, 256, size=(m, 20), dtype=np.uint8), b"  x\n"))
            done += m


def sha1_queries(n_list, q, path):
    # The list's digests are regenerated from its seed (cheaper than reading 4 GB of text back).
    rng = np.random.Generator(np.random.PCG64(1))
    step = max(1, n_list // (q // 2))
    present = []
    done = 0
    while done < n_list and len(present) < q // 2:
        m = min(1 << 20, n_list - done)
        block = rng.integers(0, 256, size=(m, 20), dtype=np.uint8)
        first = (-done) % step
        present.append(block[first::step])
        done += m
    present = np.concatenate(present)[: q // 2]
    absent = np.random.Generator(np.random.PCG64(99)).integers(0, 256, size=(q - len(present), 20), dtype=np.uint8)
    both = np.concatenate([present, absent])
    np.random.Generator(np.random.PCG64(5)).shuffle(both)
    with open(path, "wb") as f:
        f.write(hex_lines(both, b"\n"))


def flip(hashes, count, rng):
    """Flips `count` distinct random bits in every row of hashes ((n, 32) uint8)."""
    out = hashes.copy()
    bits = rng.random((len(out), 256)).argsort(axis=1)[:, :count]
    rows = np.repeat(np.arange(len(out)), count)
    np.bitwise_xor.at(out, (rows, (bits >> 3).ravel()), (1 << (bits & 7)).astype(np.uint8).ravel())
    return out


def pdq(n, planted, path, qpath):
    rng = np.random.Generator(np.random.PCG64(7))
    base = rng.integers(0, 256, size=(n - planted, 32), dtype=np.uint8)
    # Near-duplicate clusters: 10 variants (2 to 16 bits away) around each of planted/10 listed hashes.
    centres = base[rng.choice(len(base), size=planted // 10, replace=False)]
    variants = [flip(centres, int(rng.integers(2, 17)), rng) for _ in range(10)]
    every = np.concatenate([base] + variants)
    with open(path, "wb") as f:
        for start in range(0, len(every), 1 << 20):
            f.write(hex_lines(every[start:start + (1 << 20)], b"\n"))
    queries = [rng.integers(0, 256, size=(500, 32), dtype=np.uint8)]          # random: the easy case
    queries.append(flip(base[rng.choice(len(base), size=250)], 20, rng))      # 20 bits from a listed hash
    queries.append(flip(centres[rng.choice(len(centres), size=250)], 25, rng))  # near a cluster
    with open(qpath, "wb") as f:
        f.write(hex_lines(np.concatenate(queries), b"\n"))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "sha1":
        sha1(int(sys.argv[2]), sys.argv[3])
    elif what == "sha1q":
        sha1_queries(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif what == "pdq":
        pdq(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
