r"""Vectorised bootstrap of weighted column sums, for the whole sample and its segment cells.

Every score the engine reports is a smooth function of weighted column sums over respondents
(item sums Σ wᵢ xᵢⱼ and counts Σ wᵢ mᵢⱼ). A bootstrap replicate only changes how often each
respondent is counted, so a replicate is a vector of sums Σᵢ cᵢ wᵢ zᵢ for resampling counts
cᵢ, and a segment cell's replicate is the same sum over the cell's rows. Which bootstrap is
used depends on the number of respondents n (:func:`bootstrap_kind`):

- n ≤ ``MULTINOMIAL_MAX_N`` (50 000): the classic nonparametric bootstrap (Efron & Tibshirani
  1993 [1]_, ch. 6): replicate b draws n respondents with replacement,
  ``rng.integers(0, n, size=n)``, and counts them with ``np.bincount``, which gives exactly
  multinomial(n; 1/n, …, 1/n) counts without the cost of ``rng.multinomial``. The B replicate
  sums are one (B × n) @ (n × q) product of counts and weighted columns, in chunks of
  replicates to bound memory. Segment cells use the *same* counts: the rows are sorted by cell
  once per breakdown, so a cell is a contiguous slice of the count matrix, and the rest of
  the respondents are the whole sample minus the cell. A cell's size varies between
  replicates, as it does when a segment of a random sample is analysed.
- n > ``MULTINOMIAL_MAX_N``: a Gaussian multiplier bootstrap. Under independent Poisson(1)
  counts cᵢ (the Poisson bootstrap: Hanley & MacGibbon 2006 [2]_; Chamandy et al. 2012 [3]_)
  the replicate sums S = Σᵢ cᵢ wᵢ zᵢ have mean Σᵢ wᵢ zᵢ and covariance Σᵢ wᵢ² zᵢ zᵢᵀ; for
  large n they are jointly normal by the central limit theorem, so replicates are drawn as
  S̄ + L e with L Lᵀ that covariance and e ~ N(0, I) (multiplier bootstraps: Chernozhukov,
  Chetverikov & Kato 2013 [4]_). For ratios of such sums (every score) the uncentred
  covariance gives the same linearised variance as the multinomial bootstrap. It costs one
  q × q cross-product over the rows, built in chunks of rows, and O(q²) per replicate instead
  of O(n q). A segment cell gets its own mean and covariance from group-wise cross-products
  in the same pass, the rest of the respondents the whole sample's minus the cell's; Poisson
  counts are independent between rows, so the cell and its rest are drawn independently.
  The normal approximation is poor for few respondents (a ratio whose denominator is a sum
  over a handful of answers has heavy tails), so a cell or a rest of at most
  ``CELL_RESAMPLE_MAX_N`` (2 000) respondents is instead resampled within itself with the
  classic bootstrap above.

The same seed gives the same replicates; in the multinomial case, replicate b holds the
respondents drawn by the b-th call ``rng.integers(0, n, size=n)`` of
``np.random.default_rng(seed)``.

References
----------
.. [1] Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
.. [2] Hanley, J. A. & MacGibbon, B. (2006). Creating non-parametric bootstrap samples using
       Poisson frequencies. *Computer Methods and Programs in Biomedicine* 83(1), 57–62.
.. [3] Chamandy, N., Muralidharan, O., Najmi, A. & Naidu, S. (2012). Estimating uncertainty
       for massive data streams. Google technical report.
.. [4] Chernozhukov, V., Chetverikov, D. & Kato, K. (2013). Gaussian approximations and
       multiplier bootstrap for maxima of sums of high-dimensional random vectors.
       *Annals of Statistics* 41(6), 2786–2819.

>>> import numpy as np
>>> z = np.arange(12, dtype=float).reshape(6, 2)
>>> def columns(rows):
...     return z[rows], np.empty((len(z[rows]), 0))
>>> a = bootstrap_sums(columns, 6, None, replicates=50, seed=3).reps
>>> b = bootstrap_sums(columns, 6, None, replicates=50, seed=3).reps
>>> a.shape, bool((a == b).all())
((50, 2), True)
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from csi.background import Background

__all__ = ["bootstrap_sums", "bootstrap_kind", "percentile_ci", "one_blas_thread", "Partition", "Sums",
           "CellSums", "MULTINOMIAL_MAX_N", "CELL_RESAMPLE_MAX_N"]

MULTINOMIAL_MAX_N = 50_000
#: Under the Gaussian bootstrap, a segment cell (or its rest) of at most this many respondents is
#: resampled within itself instead of drawn from a normal approximation.
CELL_RESAMPLE_MAX_N = 2_000
#: Cells of the count matrix held at once (B × rows): about 32 MB of float64.
_CHUNK_CELLS = 4_000_000
#: Rows of the column matrix built at once in the Gaussian pass.
_CHUNK_ROWS = 8_192

#: ``columns(rows)`` gives the columns of those respondents: ``z`` (rows × q, finite, summed
#: with the respondent weights and bootstrapped) and ``counts`` (rows × m, summed as given).
Columns = Callable[[slice | np.ndarray], tuple[np.ndarray, np.ndarray]]
Progress = Callable[[int, int], None]


@functools.cache
def _openblas_local_threads() -> tuple[Callable[[int], int], ...]:
    """``openblas_set_num_threads_local`` of every OpenBLAS loaded in this process (Linux; the
    function exists from OpenBLAS 0.3.27 on). It sets the number of threads for the calling
    thread only and returns the previous number, so it changes nothing for other threads."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            fields = (line.split(None, 5) for line in maps)
            paths = sorted({f[5].strip() for f in fields if len(f) == 6 and "openblas" in f[5].lower()})
    except OSError:
        return ()
    found = []
    for path in paths:
        try:
            setter = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        found.append(setter)
    return tuple(found)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the BLAS calls made inside on one thread (OpenBLAS on Linux; elsewhere a no-op).

    The engine makes many mid-sized products (blocks of a few thousand rows), memory-bound more
    than compute-bound, so a second thread gains little; and when the cores are shared with
    other processes, OpenBLAS's threads wait on each other for whole scheduler slices. On a
    busy 2-core machine this made scoring 1 000 000 respondents take 11–15 s instead of 1 s.
    """
    setters = _openblas_local_threads()
    before = [setter(1) for setter in setters]
    try:
        yield
    finally:
        for setter, n in zip(setters, before, strict=True):
            setter(n)


def bootstrap_kind(n: int) -> str:
    """Which bootstrap is used for ``n`` respondents: ``"multinomial"`` up to
    ``MULTINOMIAL_MAX_N``, ``"gaussian"`` above."""
    return "multinomial" if n <= MULTINOMIAL_MAX_N else "gaussian"


@dataclass(frozen=True, slots=True)
class Partition:
    """Respondents split into cells (the values of one segment column).

    ``codes[i]`` is respondent i's cell in ``range(cells)``; replicates are made only for the
    cells marked in ``wanted`` (and for their rests).
    """

    codes: np.ndarray
    cells: int
    wanted: np.ndarray


class CellSums:
    """The column sums of every cell of one partition, and the replicates of the wanted ones.

    ``full`` (cells × q_c) holds Σ wᵢ zᵢ over each cell's rows and ``counts`` (cells × m_c)
    the plain sums of the count columns, for the first q_c and m_c columns only (zero for
    cells not wanted under the Gaussian bootstrap); ``sizes`` the cells' numbers of rows.
    :meth:`replicates` and :meth:`rest_replicates` give the B × q_c replicate sums of a
    wanted cell and of all respondents outside it.
    """

    __slots__ = ("full", "counts", "sizes", "_total_reps", "_reps", "_draw")

    def __init__(self, full: np.ndarray, counts: np.ndarray, sizes: np.ndarray, total_reps: np.ndarray | None,
                 reps: dict[int, np.ndarray] | None, draw: Callable[[int, bool], np.ndarray] | None) -> None:
        self.full, self.counts, self.sizes = full, counts, sizes
        self._total_reps, self._reps, self._draw = total_reps, reps, draw

    def replicates(self, cell: int) -> np.ndarray:
        if self._reps is not None:
            return self._reps[cell]
        assert self._draw is not None
        return self._draw(cell, False)

    def rest_replicates(self, cell: int) -> np.ndarray:
        if self._reps is not None:
            assert self._total_reps is not None
            return self._total_reps - self._reps[cell]
        assert self._draw is not None
        return self._draw(cell, True)


@dataclass(frozen=True, slots=True)
class Sums:
    """Full-sample sums and their replicates: ``full`` (q) = Σ wᵢ zᵢ, ``counts`` (m) the plain
    sums of the count columns, ``reps`` (B × q), and one :class:`CellSums` per partition."""

    kind: str
    full: np.ndarray
    counts: np.ndarray
    reps: np.ndarray
    cells: tuple[CellSums, ...]


def _cell_sums(sorted_rows: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sums of the row blocks ``sorted_rows[bounds[c]:bounds[c + 1]]``; 0 for an empty block."""
    out = np.zeros((bounds.size - 1, sorted_rows.shape[1]))
    nonempty = np.flatnonzero(np.diff(bounds) > 0)
    if nonempty.size:
        out[nonempty] = np.add.reduceat(sorted_rows, bounds[nonempty], axis=0)
    return out


def _sort_by_cell(codes: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Row order grouping the cells (stable: rows keep their order within a cell) and the
    block bounds of each cell in that order."""
    order = np.argsort(codes, kind="stable")
    bounds = np.zeros(cells + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=cells), out=bounds[1:])
    return order, bounds


def _count_chunks(rng: np.random.Generator, n: int, replicates: int) -> Iterator[tuple[int, np.ndarray]]:
    """The classic bootstrap's resampling counts, a chunk of replicates at a time: (first
    replicate, b × n counts). Replicate r counts the respondents of the r-th call
    ``rng.integers(0, n, size=n)``: exactly multinomial(n; 1/n, …, 1/n), at a fraction of the
    cost of ``rng.multinomial``. The array is reused from chunk to chunk."""
    per_chunk = max(1, min(replicates, _CHUNK_CELLS // max(n, 1)))
    counts = np.empty((per_chunk, n))
    for start in range(0, replicates, per_chunk):
        block = counts[:min(per_chunk, replicates - start)]
        for r in range(block.shape[0]):
            block[r] = np.bincount(rng.integers(0, n, size=n), minlength=n)
        yield start, block


def _resample(wz: np.ndarray, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Classic bootstrap replicate sums of the rows of ``wz`` (already weighted)."""
    out = np.zeros((replicates, wz.shape[1]))
    if wz.shape[0]:
        for start, counts in _count_chunks(rng, wz.shape[0], replicates):
            out[start:start + counts.shape[0]] = counts @ wz
    return out


def _normal_draws(mean: np.ndarray, cov: np.ndarray, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """``replicates`` draws from N(mean, cov), through a PSD square root of ``cov`` (indicator
    columns can be collinear, so not Cholesky; rounding below zero is clipped)."""
    values, vectors = np.linalg.eigh(cov)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    return mean + rng.standard_normal((replicates, mean.size)) @ root.T


def bootstrap_sums(columns: Columns, n: int, weights: np.ndarray | None, replicates: int, seed: int | None, *,
                   partitions: Sequence[Partition] = (), cell_columns: tuple[int, int] = (0, 0),
                   progress: Progress | None = None) -> Sums:
    r"""Weighted column sums of all respondents and of segment cells, with bootstrap replicates.

    Parameters
    ----------
    columns : ``columns(rows)`` returns ``(z, counts)`` for the respondents ``rows`` (a slice
        or an index array): z (rows × q) finite values, missing values already replaced by 0
        and counted in a separate indicator column; counts (rows × m) columns that are only
        summed (no weights, no replicates). It is called on chunks of rows, so the n × q
        matrix need not exist at once.
    n : number of respondents.
    weights : respondent weights wᵢ (None: all 1).
    replicates : B.
    seed : seed of ``np.random.default_rng``; the same seed gives the same replicates.
    partitions : segment breakdowns; each cell's sums cover the first ``cell_columns`` =
        (q_c, m_c) columns of z and counts.
    progress : called as ``progress(done, B)`` as replicates are finished.

    Returns
    -------
    Sums
        Σᵢ wᵢ zᵢ, the count sums, the B × q replicates Σᵢ cᵦᵢ wᵢ zᵢ, and per partition a
        :class:`CellSums` (see the module docstring for how the replicates are made).
    """
    ss = np.random.SeedSequence(seed)
    rng = np.random.default_rng(ss)
    w = None if weights is None else np.asarray(weights, dtype=float)
    qc, mc = cell_columns
    if bootstrap_kind(n) == "multinomial":
        return _multinomial_sums(columns, n, w, replicates, rng, partitions, qc, mc, progress)
    return _gaussian_sums(columns, n, w, replicates, rng, ss, partitions, qc, mc, progress)


def _multinomial_sums(columns: Columns, n: int, w: np.ndarray | None, replicates: int, rng: np.random.Generator,
                      partitions: Sequence[Partition], qc: int, mc: int, progress: Progress | None) -> Sums:
    z, cnt = columns(slice(0, n))
    wz = z if w is None else z * w[:, None]
    reps = np.zeros((replicates, wz.shape[1]))
    sorted_parts = []
    cells: list[tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray]]] = []
    for part in partitions:
        order, bounds = _sort_by_cell(part.codes, part.cells)
        wz_p = wz[order, :qc]
        sorted_parts.append((order, bounds, wz_p))
        wanted = [int(c) for c in np.flatnonzero(part.wanted)]
        cells.append((_cell_sums(wz_p, bounds), _cell_sums(cnt[order, :mc], bounds), np.diff(bounds),
                      {c: np.zeros((replicates, qc)) for c in wanted}))
    if n and replicates:
        gathered = None
        for start, counts in _count_chunks(rng, n, replicates):
            stop = start + counts.shape[0]
            reps[start:stop] = counts @ wz
            for (order, bounds, wz_p), (_, _, _, cell_reps) in zip(sorted_parts, cells, strict=True):
                # the counts in cell order: each cell a contiguous block of columns
                if gathered is None or gathered.shape != counts.shape:
                    gathered = np.empty_like(counts)
                np.take(counts, order, axis=1, out=gathered)
                for c, out in cell_reps.items():
                    lo, hi = bounds[c], bounds[c + 1]
                    out[start:stop] = gathered[:, lo:hi] @ wz_p[lo:hi]
            if progress is not None:
                progress(stop, replicates)
    total_reps = reps[:, :qc]
    return Sums("multinomial", wz.sum(axis=0), cnt.sum(axis=0), reps,
                tuple(CellSums(f, c, s, total_reps, r, None) for f, c, s, r in cells))


def _blocks(bounds: np.ndarray, own: np.ndarray) -> list[tuple[int, int, int]]:
    """Row blocks covering ``bounds[0]:bounds[-1]``: one per non-empty cell marked in ``own``
    (with its cell number), and one per run of consecutive other cells (cell −1)."""
    out = []
    run = None
    for c in np.flatnonzero(np.diff(bounds) > 0):
        lo, hi = int(bounds[c]), int(bounds[c + 1])
        if own[c]:
            if run is not None:
                out.append((run, lo, -1))
                run = None
            out.append((lo, hi, int(c)))
        elif run is None:
            run = lo
    if run is not None:
        out.append((run, int(bounds[-1]), -1))
    return out


def _joint_cells(partitions: Sequence[Partition]) -> tuple[int, np.ndarray, list[np.ndarray]]:
    """The leading breakdowns crossed: how many of them (at least the first, while their
    joint cells number at most ``_JOINT_MAX``), each respondent's joint cell (uint16), and
    per breakdown the cell of each joint cell. (0, empty, []) without breakdowns."""
    joined, size = 0, 1
    for part in partitions:
        if joined and size * part.cells > _JOINT_MAX:
            break
        joined, size = joined + 1, size * part.cells
    if not joined:
        return 0, np.empty(0, dtype=np.uint16), []
    kind = np.uint16 if size <= np.iinfo(np.uint16).max else np.int64  # (uint16 sorts by radix)
    codes = np.zeros(partitions[0].codes.size, dtype=kind)
    stride = 1
    cells = []
    every = np.arange(size)
    for part in partitions[:joined]:
        codes += part.codes.astype(kind) * kind(stride)
        cells.append((every // stride) % part.cells)
        stride *= part.cells
    return joined, codes, cells


#: The most joint cells of crossed breakdowns the Gaussian pass visits in order.
_JOINT_MAX = 4096


class _Pass:
    """Sums of a pass over some rows: of z (``full``), of its cross-products (``cov``), of the
    counts, and per breakdown of the wanted cells' first ``qc`` z and ``mc`` count columns
    (``cell_cov``: for the cells marked in ``need_cov``)."""

    def __init__(self, partitions: Sequence[Partition], need_cov: Sequence[np.ndarray], qc: int, mc: int) -> None:
        self.full = self.cov = self.counts = np.zeros(0)
        self.cell_full = [np.zeros((p.cells, qc)) for p in partitions]
        self.cell_counts = [np.zeros((p.cells, mc)) for p in partitions]
        self.cell_cov = [{int(c): np.zeros((qc, qc)) for c in np.flatnonzero(nc)} for nc in need_cov]

    def begin(self, q: int, m: int) -> None:
        """Size the whole-sample sums for q z and m count columns (on the first chunk)."""
        if self.full.size != q:
            self.full, self.cov, self.counts = np.zeros(q), np.zeros((q, q)), np.zeros(m)

    def add(self, other: _Pass) -> None:
        if other.full.size:
            self.begin(other.full.size, other.counts.size)
            self.full += other.full
            self.cov += other.cov
            self.counts += other.counts
        for mine, theirs in zip([*self.cell_full, *self.cell_counts], [*other.cell_full, *other.cell_counts], strict=True):
            mine += theirs
        for mine_cov, theirs_cov in zip(self.cell_cov, other.cell_cov, strict=True):
            for c, value in theirs_cov.items():
                mine_cov[c] += value


@dataclass(frozen=True, slots=True)
class _Order:
    """The order of the Gaussian pass over the rows (see :func:`_gaussian_sums`): the leading
    breakdowns crossed (``joined`` of them, ``joint_cells`` the cell of each joint cell per
    breakdown), the rows sorted by joint cell (None: as they are), where each joint cell's run
    starts (``bounds``) and which runs some breakdown wants."""

    joined: int
    joint_cells: list[np.ndarray]
    rows: np.ndarray | None
    bounds: np.ndarray
    wanted: np.ndarray


def _visiting_order(partitions: Sequence[Partition], n: int) -> _Order:
    joined, joint_codes, joint_cells = _joint_cells(partitions)
    if not joined:
        return _Order(0, [], None, np.array([0, n]), np.zeros(1, dtype=bool))
    bounds = np.concatenate(([0], np.cumsum(np.bincount(joint_codes, minlength=joint_cells[0].size))))
    wanted = np.zeros(joint_cells[0].size, dtype=bool)
    for p in range(joined):
        wanted |= partitions[p].wanted[joint_cells[p]]
    return _Order(joined, joint_cells, np.argsort(joint_codes, kind="stable"), bounds, wanted)


def _visit(columns: Columns, w: np.ndarray | None, partitions: Sequence[Partition], need_cov: Sequence[np.ndarray],
           qc: int, mc: int, order: _Order, first: int, last: int) -> _Pass:
    """The sums of the chunks of rows ``first:last`` (in visiting order)."""
    out = _Pass(partitions, need_cov, qc, mc)
    joined = order.joined
    for start in range(first, last, _CHUNK_ROWS):
        stop = min(last, start + _CHUNK_ROWS)
        rows = slice(start, stop) if order.rows is None else order.rows[start:stop]
        wz, cnt = columns(rows)
        if w is not None:
            wz *= w[rows, None]
        out.begin(wz.shape[1], cnt.shape[1])
        local = np.clip(order.bounds - start, 0, stop - start)
        for lo, hi, j in _blocks(local, order.wanted):
            block, block_counts = wz[lo:hi], cnt[lo:hi].sum(axis=0)
            block_sums = block.sum(axis=0)
            cross = block.T @ block
            out.full += block_sums
            out.counts += block_counts
            out.cov += cross
            for p in range(joined if j >= 0 else 0):
                c = int(order.joint_cells[p][j])
                if partitions[p].wanted[c]:
                    out.cell_full[p][c] += block_sums[:qc]
                    out.cell_counts[p][c] += block_counts[:mc]
                    if need_cov[p][c]:
                        out.cell_cov[p][c] += cross[:qc, :qc]
        for p in range(joined, len(partitions)):
            part_order, bounds = _sort_by_cell(partitions[p].codes[rows], partitions[p].cells)
            wz_s = wz[part_order, :qc]
            cnt_s = cnt[part_order, :mc]
            for c in np.flatnonzero(partitions[p].wanted & (np.diff(bounds) > 0)):
                lo, hi = bounds[c], bounds[c + 1]
                block = wz_s[lo:hi]
                out.cell_full[p][c] += block.sum(axis=0)
                out.cell_counts[p][c] += cnt_s[lo:hi].sum(axis=0)
                if need_cov[p][c]:
                    out.cell_cov[p][int(c)] += block.T @ block
    return out


def _gaussian_sums(columns: Columns, n: int, w: np.ndarray | None, replicates: int, rng: np.random.Generator,
                   ss: np.random.SeedSequence, partitions: Sequence[Partition], qc: int, mc: int,
                   progress: Progress | None) -> Sums:
    sizes = [np.bincount(p.codes, minlength=p.cells) for p in partitions]
    # a cell needs its covariance when it, or its rest, is drawn from the normal approximation
    need_cov = [p.wanted & ((s > CELL_RESAMPLE_MAX_N) | (n - s > CELL_RESAMPLE_MAX_N)) for p, s in zip(partitions, sizes, strict=True)]
    # Rows are visited in the order of the joint cells of the leading breakdowns (those whose
    # cells, crossed, stay few: department × client type), so a chunk holds whole runs of
    # them: a run's sums and cross-products are one row block of the chunk, with no gather,
    # and they add up to those of each of its breakdowns' cells and of the whole sample (a run
    # of cells no breakdown wants is one block). A breakdown beyond them is sorted chunk by chunk.
    visit = functools.partial(_visit, columns, w, partitions, need_cov, qc, mc, _visiting_order(partitions, n))

    # Two halves of the rows on two threads (numpy and BLAS let go of the GIL), added in a
    # fixed order: the same numbers whichever half ends first.
    middle = _CHUNK_ROWS * ((n // _CHUNK_ROWS + 1) // 2)
    def second_half(stop: object) -> _Pass:
        with one_blas_thread():  # (the setting is per thread)
            return visit(middle, n)

    second = Background(second_half, name="csi-pass")
    try:
        sums = visit(0, middle)
    finally:
        other = second.result()
    sums.add(other)
    assert sums.full.size and sums.cov.size and sums.counts.size
    reps = _normal_draws(sums.full, sums.cov, replicates, rng)
    if progress is not None:
        progress(replicates, replicates)
    cells = _CellDraws(columns, n, w, replicates, ss, partitions, sizes, qc, sums)
    return Sums("gaussian", sums.full, sums.counts, reps,
                tuple(CellSums(f, c, s, None, None, functools.partial(cells.draw, p))
                      for p, (f, c, s) in enumerate(zip(sums.cell_full, sums.cell_counts, sizes, strict=True))))


@dataclass
class _CellDraws:
    """The replicate sums of a segment cell, or of its rest, drawn when a breakdown asks:
    resampled from its rows when it has at most ``CELL_RESAMPLE_MAX_N``, else from the normal
    approximation of its sums (the pass's cell sums, or the whole sample's minus them)."""

    columns: Columns
    n: int
    w: np.ndarray | None
    replicates: int
    ss: np.random.SeedSequence
    partitions: Sequence[Partition]
    sizes: list[np.ndarray]
    qc: int
    sums: _Pass
    _small: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False)

    def rows_of(self, p: int, cell: int, rest: bool) -> np.ndarray:
        codes = self.partitions[p].codes
        if rest:  # a small rest: at most one cell per breakdown holds all but a few rows
            return np.flatnonzero(codes != cell)
        if p not in self._small:  # the rows of all small cells, grouped by cell, found once
            rows = np.flatnonzero((self.sizes[p] <= CELL_RESAMPLE_MAX_N)[codes])
            order, bounds = _sort_by_cell(codes[rows], self.partitions[p].cells)
            self._small[p] = (rows[order], bounds)
        rows, bounds = self._small[p]
        return rows[bounds[cell]:bounds[cell + 1]]

    def draw(self, p: int, cell: int, rest: bool) -> np.ndarray:
        # one stream per (breakdown, cell, rest): the same seed gives the same replicates
        # whatever order the cells are asked for in
        ss = self.ss
        cell_rng = np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, p, cell, int(rest))))
        size = self.n - self.sizes[p][cell] if rest else self.sizes[p][cell]
        qc = self.qc
        if size <= CELL_RESAMPLE_MAX_N:
            rows = self.rows_of(p, cell, rest)
            z, _ = self.columns(rows)
            return _resample(z[:, :qc] if self.w is None else z[:, :qc] * self.w[rows, None], self.replicates, cell_rng)
        mean, c_cov = self.sums.cell_full[p][cell], self.sums.cell_cov[p][cell]
        if rest:
            mean, c_cov = self.sums.full[:qc] - mean, self.sums.cov[:qc, :qc] - c_cov
        return _normal_draws(mean, c_cov, self.replicates, cell_rng)


def percentile_ci(replicates: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval (Efron & Tibshirani 1993, §13.3) of each column of ``replicates``."""
    tail = (1.0 - confidence) / 2.0
    lo, hi = np.nanquantile(replicates, [tail, 1.0 - tail], axis=0)
    return lo, hi
