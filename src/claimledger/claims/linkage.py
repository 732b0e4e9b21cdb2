"""Average-linkage clustering over a sparse similarity graph: how a batch of statements becomes claims.

``average_linkage`` merges clusters, best pair first, while their linkage score reaches a
threshold; ``linkage_score`` is that score (mean similarity, optionally mixed with the cosine of
the clusters' centroids), which ``claimledger.claims.index`` also uses when it adds one item.
"""

from __future__ import annotations

import heapq
import math

from claimledger.errors import ConfigError

__all__ = ["average_linkage", "linkage_score"]


def linkage_score(
    total: float, size_a: int, inner_a: float, size_b: int, inner_b: float, centroid_weight: float
) -> float:
    """The linkage score of two clusters from their cross total, sizes and inner totals (see average_linkage)."""
    average = total / (size_a * size_b)
    if centroid_weight <= 0.0 or average <= 0.0:
        return average
    centroid = total / math.sqrt(max(inner_a * inner_b, 1e-12))  # negative similarities can shrink a total
    return float(average ** (1.0 - centroid_weight) * centroid**centroid_weight)


def average_linkage(
    size: int, edges: dict[tuple[int, int], float], threshold: float, *, centroid_weight: float = 0.0
) -> list[int]:
    """Cluster labels of ``size`` points by average-linkage agglomeration over a sparse similarity graph.

    ``edges`` maps ``(i, j)`` with ``i < j`` to a similarity; absent pairs count as 0. Two clusters
    merge, best pair first, while their linkage score reaches ``threshold``: their mean pairwise
    similarity ``m``, or with ``centroid_weight`` ``w`` above 0, ``m ** (1 - w) * c ** w`` where ``c`` is
    the cosine of the two clusters' centroids (read from the graph as if the points were unit vectors
    whose dot products are the similarities: cross total over the root of the within totals, self
    pairs included). The centroid lets a loose but large family of paraphrases stay together.
    Ties break on the smaller cluster numbers, so the result does not depend on dict order.
    """
    if not 0.0 <= centroid_weight <= 1.0:
        raise ConfigError("average_linkage centroid_weight must lie between 0 and 1")
    parent = list(range(size))
    members = [1] * size
    inner = [1.0] * size  # summed similarity over the ordered pairs within a cluster, self pairs included

    def score(total: float, a: int, c: int) -> float:
        return linkage_score(total, members[a], inner[a], members[c], inner[c], centroid_weight)

    links: list[dict[int, float]] = [{} for _ in range(size)]
    for (i, j), sim in edges.items():
        links[i][j] = links[i].get(j, 0.0) + sim
        links[j][i] = links[j].get(i, 0.0) + sim
    version = [0] * size
    heap: list[tuple[float, int, int, int, int]] = []
    for i in range(size):
        for j, total in links[i].items():
            if i < j and total >= threshold:
                heap.append((-total, i, j, 0, 0))
    heapq.heapify(heap)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if va != version[a] or vb != version[b] or parent[a] != a or parent[b] != b:
            continue
        # merge b into a
        parent[b] = a
        inner[a] += inner[b] + 2.0 * links[a].get(b, 0.0)
        members[a] += members[b]
        version[a] += 1
        merged = links[a]
        merged.pop(b, None)
        for c, total in links[b].items():
            if c == a:
                continue
            merged[c] = merged.get(c, 0.0) + total
            other = links[c]
            other[a] = other.get(a, 0.0) + other.pop(b, 0.0)
        links[b] = {}
        for c, total in merged.items():
            linkage = score(total, a, c)
            if linkage >= threshold:
                lo, hi = min(a, c), max(a, c)
                heapq.heappush(heap, (-linkage, lo, hi, version[lo], version[hi]))
    labels = []
    for i in range(size):
        root = i
        while parent[root] != root:
            root = parent[root]
        labels.append(root)
    return labels
