"""Optimal one-to-one assignment (the Hungarian algorithm) on sparse scored pairs.

The pairs above the similarity threshold form a sparse bipartite graph. Each
connected component is solved on its own, so the cubic cost applies only to
clusters of mutually similar clauses, which stay small in real texts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def hungarian(weights: Sequence[Sequence[float]]) -> list[int]:
    """Return, for each row, the column that maximises the total weight (-1 for none).

    ``weights`` is a dense rows x columns matrix of non-negative weights; rows
    may outnumber columns. Potentials-based O(n^2 m) version of Kuhn-Munkres.
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if rows == 0 or cols == 0:
        return [-1] * rows
    transpose = rows > cols
    if transpose:
        weights = [[weights[r][c] for r in range(rows)] for c in range(cols)]
        rows, cols = cols, rows
    # Minimise cost = -weight. 1-based arrays with a sentinel column 0.
    inf = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[c] = row assigned to column c
    way = [0] * (cols + 1)
    for r in range(1, rows + 1):
        owner[0] = r
        c0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[c0] = True
            r0 = owner[c0]
            row = weights[r0 - 1]
            delta, c1 = inf, 0
            ur0 = u[r0]
            for c in range(1, cols + 1):
                if not used[c]:
                    current = -row[c - 1] - ur0 - v[c]
                    if current < minv[c]:
                        minv[c] = current
                        way[c] = c0
                    if minv[c] < delta:
                        delta, c1 = minv[c], c
            for c in range(cols + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    minv[c] -= delta
            c0 = c1
            if owner[c0] == 0:
                break
        while c0:
            c1 = way[c0]
            owner[c0] = owner[c1]
            c0 = c1
    result = [-1] * rows
    for c in range(1, cols + 1):
        if owner[c]:
            result[owner[c] - 1] = c - 1
    if not transpose:
        return result
    back = [-1] * cols
    for r, c in enumerate(result):
        if c >= 0:
            back[c] = r
    return back


def best_matching(edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Return the one-to-one subset of (left, right, weight) edges of maximum total weight.

    Edges absent from the input count as weight 0 and are never returned.
    """
    adjacency: defaultdict[tuple[str, int], list[tuple[int, int, float]]] = defaultdict(list)
    for edge in edges:
        adjacency[("l", edge[0])].append(edge)
        adjacency[("r", edge[1])].append(edge)
    seen: set[tuple[str, int]] = set()
    chosen: list[tuple[int, int, float]] = []
    for start in list(adjacency):
        if start in seen:
            continue
        component: list[tuple[int, int, float]] = []
        stack = [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            for edge in adjacency[node]:
                if node[0] == "l":
                    component.append(edge)
                for other in (("l", edge[0]), ("r", edge[1])):
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
        chosen.extend(_solve(component))
    return chosen


def _solve(component: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    if len(component) == 1:
        return component
    lefts = sorted({edge[0] for edge in component})
    rights = sorted({edge[1] for edge in component})
    left_at = {left: i for i, left in enumerate(lefts)}
    right_at = {right: j for j, right in enumerate(rights)}
    matrix = [[0.0] * len(rights) for _ in lefts]
    for left, right, weight in component:
        matrix[left_at[left]][right_at[right]] = weight
    assigned = hungarian(matrix)
    result = []
    for i, j in enumerate(assigned):
        if j >= 0 and matrix[i][j] > 0:
            result.append((lefts[i], rights[j], matrix[i][j]))
    return result
