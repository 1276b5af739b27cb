"""The evaluation's input contract: reading and checking people, measurements and the optional
files, so that every later step can trust types and codes.

Checks and joins run in DuckDB (a million people are read and checked in seconds); analyses
receive integer person codes and categoricals, never identifier strings. Bad input is answered
with ``InvalidInput`` naming the file, the row (the line in the file; the header is row 1) and
the column. Values are never echoed: they may be personal.
"""

# SQL here is assembled from the column specifications in this module; file paths and values
# enter only through _lit/_q quoting, never as raw user text.
# ruff: noqa: S608

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from linkwell import codes
from linkwell.errors import InvalidInput
from linkwell.evaluation.instruments import INSTRUMENTS

SEXES = codes.sex().codes  # FHIR R4 AdministrativeGender
TIMEPOINTS = ("baseline", "follow_up")
AGE_BANDS = ("0-15", "16-59", "60+")  # the bands of the IMD population denominators
TRUE_WORDS = ("true", "1", "yes", "y", "t")
FALSE_WORDS = ("false", "0", "no", "n", "f")
OPEN_STATUSES = ("active", "")  # HSDS 3.0 service.status; blank = not recorded, assumed open
# Tables small enough, or needing it, to keep their file row numbers after staging.
ORDERED = {"lsoa", "funding", "services", "capacity", "comparison"}
LSOA_CSV_RENAMES = {"imd2019_decile": "imd_decile", "imd2019_rank": "imd_rank",
                    "population_2015": "population_total"}


@dataclass(frozen=True)
class Column:
    """How one input column is read: ``kind`` is text, choice, number, date, boolean or lsoa."""

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    blank_as: str | None = None
    low: float | None = None
    high: float | None = None
    whole: bool = False
    optional_column: bool = False


PEOPLE = (
    Column("person_id"), Column("sex", "choice", required=False, choices=SEXES, blank_as="unknown"),
    Column("age", "number", required=False, low=0, high=120, whole=True),
    Column("ethnicity", required=False), Column("lsoa11cd", "lsoa", required=False),
    Column("referred_on", "date"),
    Column("episode_completed", "boolean", required=False, optional_column=True),
)
MEASUREMENTS = (
    Column("person_id"), Column("episode_id"),
    Column("instrument", "choice", choices=tuple(INSTRUMENTS)),
    Column("timepoint", "choice", choices=TIMEPOINTS),
    Column("measured_on", "date", required=False), Column("score", "number"),
)
COMPARISON = (
    Column("person_id"), Column("sex", "choice", required=False, choices=SEXES, blank_as="unknown"),
    Column("age", "number", required=False, low=0, high=120, whole=True),
    Column("lsoa11cd", "lsoa", required=False),
    Column("instrument", "choice", choices=tuple(INSTRUMENTS)),
    Column("timepoint", "choice", choices=TIMEPOINTS), Column("score", "number"),
)
FUNDING = (
    Column("label", required=False, optional_column=True),
    Column("total_pence", "number", low=0, whole=True),
    Column("low_pence", "number", required=False, low=0, whole=True, optional_column=True),
    Column("high_pence", "number", required=False, low=0, whole=True, optional_column=True),
)
SERVICES = (
    Column("service_id"), Column("need_category"),
    Column("latitude", "number", low=-90, high=90),
    Column("longitude", "number", low=-180, high=180),
    Column("status", required=False, optional_column=True),
)
CAPACITY = (Column("lad_code"), Column("caseload_places", "number", low=0, whole=True))
LSOA = (
    Column("lsoa11cd"), Column("lad_code"), Column("lad_name"),
    Column("imd_decile", "number", low=1, high=10, whole=True),
    Column("population_total", "number", low=0, whole=True),
    Column("population_0_15", "number", low=0, whole=True),
    Column("population_16_59", "number", low=0, whole=True),
    Column("population_60_plus", "number", low=0, whole=True),
    Column("centroid_lat", "number", required=False, optional_column=True),
    Column("centroid_lon", "number", required=False, optional_column=True),
)


@dataclass
class EvaluationInput:
    """Checked inputs. ``people`` has one row per referral with an integer ``pid`` and the
    LSOA's borough and IMD decile; ``measurements`` carries the same ``pid``. Only people,
    measurements and the LSOA reference are required; each optional frame switches on an
    analysis (comparison, cost, access, capacity)."""

    people: pd.DataFrame
    measurements: pd.DataFrame
    lsoa: pd.DataFrame
    comparison: pd.DataFrame | None = None
    funding: pd.DataFrame | None = None
    services: pd.DataFrame | None = None
    capacity: pd.DataFrame | None = None
    boroughs: dict | None = None  # GeoJSON FeatureCollection with LAD22CD/LAD22NM properties
    notes: list[str] = field(default_factory=list)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _expressions(col: Column) -> tuple[str, list[tuple[str, str]]]:
    """The typed SQL expression for a column and its (bad-row condition, message) checks."""
    raw = f"trim(coalesce({_q(col.name)}, ''))"
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{raw} = ''", "a value is required"))
    if col.kind == "text":
        return raw, checks
    if col.kind == "lsoa":
        checks.append((f"{raw} <> '' AND NOT regexp_full_match(upper({raw}), '[EW]01[0-9]{{6}}')",
                       "expected an LSOA 2011 code such as E01000001"))
        return f"upper({raw})", checks
    if col.kind == "choice":
        value = f"lower({raw})"
        if col.blank_as:
            value = f"CASE WHEN {raw} = '' THEN {_lit(col.blank_as)} ELSE {value} END"
        allowed = ", ".join(_lit(c) for c in col.choices)
        checks.append((f"{value} NOT IN ({allowed}) AND {raw} <> ''",
                       f"expected one of {', '.join(col.choices)}"))
        return value, checks
    if col.kind == "boolean":
        t = ", ".join(_lit(w) for w in TRUE_WORDS)
        f = ", ".join(_lit(w) for w in FALSE_WORDS)
        checks.append((f"lower({raw}) NOT IN ({t}, {f}, '')",
                       "expected true or false (or blank)"))
        return (f"CASE WHEN lower({raw}) IN ({t}) THEN true "
                f"WHEN lower({raw}) IN ({f}) THEN false END"), checks
    if col.kind == "date":
        value = f"CAST(try_strptime(nullif({raw}, ''), '%Y-%m-%d') AS DATE)"
        checks.append((f"{raw} <> '' AND {value} IS NULL", "expected a date as YYYY-MM-DD"))
        return value, checks
    value = f"try_cast(nullif({raw}, '') AS DOUBLE)"
    what = "a whole number" if col.whole else "a number"
    bad_number = f"{raw} <> '' AND ({value} IS NULL OR isnan({value}) OR isinf({value}))"
    checks.append((bad_number, f"expected {what}"))
    if col.whole:
        checks.append((f"NOT ({bad_number}) AND {value} <> round({value})",
                       f"expected {what}"))
    if col.low is not None or col.high is not None:
        low = col.low if col.low is not None else "'-infinity'::DOUBLE"
        high = col.high if col.high is not None else "'infinity'::DOUBLE"
        checks.append((f"NOT ({bad_number}) AND ({value} < {low} OR {value} > {high})",
                       f"expected a value between {col.low} and {col.high}"))
    return value, checks


def _fail_first(con, table: str, checks: list[tuple[str, str, str]], source: str) -> None:
    """Run every check in one scan; raise for the first failing one with up to 20 rows."""
    if not checks:
        return
    parts = [f"count(*) FILTER (WHERE {cond})" for _, cond, _ in checks]
    counts = con.execute(f"SELECT {', '.join(parts)} FROM {table}").fetchall()[0]
    for (column, cond, message), count in zip(checks, counts, strict=True):
        if count:
            rows = [r[0] for r in con.execute(
                f"SELECT _row FROM {table} WHERE {cond} ORDER BY _row LIMIT 20").fetchall()]
            more = f" (and {count - 1} more rows)" if count > 1 else ""
            raise InvalidInput(
                f"{source} row {rows[0]}, column '{column}': {message}{more}",
                errors=[{"file": source, "row": r, "column": column, "message": message}
                        for r in rows])


def _stage(con, name: str, relation_sql: str, spec: tuple[Column, ...], source: str,
           present: list[str]) -> None:
    """Create table ``name`` with typed columns from raw text columns, checking each.

    One parallel scan of the input computes the typed values and a flag per check; row
    numbers are worked out only when a check fails."""
    missing = [c.name for c in spec if c.name not in present and not c.optional_column]
    if missing:
        raise InvalidInput(f"{source} row 1: missing column(s) {', '.join(missing)}")
    selects, checks = [], []
    for col in spec:
        if col.name not in present:
            selects.append(f"NULL AS {_q(col.name)}")
            continue
        value, col_checks = _expressions(col)
        selects.append(f"{value} AS {_q(col.name)}")
        checks += [(col.name, cond, message) for cond, message in col_checks]
    flags = [f"coalesce({cond}, false) AS _bad{i}" for i, (_, cond, _) in enumerate(checks)]
    row = "row_number() OVER () + 1 AS _row, " if name in ORDERED else ""
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {row}"
                    f"{', '.join(selects + flags)} FROM ({relation_sql})")
    except duckdb.Error as exc:
        raise _unreadable(source, exc) from None
    if not checks:
        return
    counts = con.execute("SELECT " + ", ".join(f"count_if(_bad{i})" for i in range(len(checks)))
                         + f" FROM {name}").fetchall()[0]
    if any(counts):
        numbered = (name if name in ORDERED else
                    f"(SELECT row_number() OVER () + 1 AS _row, * FROM {name})")
        _fail_first(con, numbered, [(column, f"_bad{i}", message) for i, (column, _, message)
                                    in enumerate(checks)], source)
    con.execute(f"ALTER TABLE {name} DROP COLUMN _bad0")
    for i in range(1, len(checks)):
        con.execute(f"ALTER TABLE {name} DROP COLUMN _bad{i}")


def _unreadable(source: str, exc: Exception) -> InvalidInput:
    first = str(exc).splitlines()[0][:200]
    return InvalidInput(f"{source}: not a readable CSV file ({first})")


def _csv_relation(con, path: Path, source: str) -> tuple[str, list[str]]:
    if not path.is_file():
        raise InvalidInput(f"{source}: file not found")
    sql = (f"SELECT * FROM read_csv({_lit(str(path))}, all_varchar = true, header = true, "
           "auto_detect = true, delim = ',', quote = '\"', strict_mode = true)")
    try:
        columns = [c.strip().lstrip("\ufeff") for c in con.sql(sql).columns]
    except duckdb.Error as exc:
        raise _unreadable(source, exc) from None
    renamed = ", ".join(f"{_q(o)} AS {_q(c)}" for o, c in
                        zip(con.sql(sql).columns, columns, strict=True))
    return f"SELECT {renamed} FROM ({sql})", columns


def _frame_relation(con, frame: pd.DataFrame, name: str) -> tuple[str, list[str]]:
    """Present an in-memory frame as text columns, so frames and files share one checker."""
    con.register(f"frame_{name}", frame)
    parts = []
    for column, dtype in frame.dtypes.items():
        q = _q(str(column))
        if pd.api.types.is_datetime64_any_dtype(dtype):
            parts.append(f"strftime(CAST({q} AS DATE), '%Y-%m-%d') AS {q}")
        elif pd.api.types.is_bool_dtype(dtype):
            parts.append(f"CASE WHEN {q} THEN 'true' WHEN NOT {q} THEN 'false' END AS {q}")
        else:
            parts.append(f"CAST({q} AS VARCHAR) AS {q}")
    return f"SELECT {', '.join(parts)} FROM frame_{name}", [str(c) for c in frame.columns]


class _Reader:
    """One DuckDB connection that stages every input, then builds the analysis frames."""

    def __init__(self):
        self.con = duckdb.connect()
        self.con.execute("SET preserve_insertion_order = true")

    def stage(self, name: str, source: Path | pd.DataFrame, spec, label: str | None = None):
        if isinstance(source, pd.DataFrame):
            sql, columns = _frame_relation(self.con, source, name)
            label = label or name
        else:
            label = label or Path(source).name
            sql, columns = _csv_relation(self.con, Path(source), label)
        if name == "lsoa":
            columns = [LSOA_CSV_RENAMES.get(c, c) for c in columns]
            sql = "SELECT " + ", ".join(
                f"{_q(o)} AS {_q(LSOA_CSV_RENAMES.get(o, o))}" for o in
                self.con.sql(sql).columns) + f" FROM ({sql})"
        _stage(self.con, name, sql, spec, label, columns)
        return label

    def unique(self, table: str, key: str, label: str) -> None:
        _fail_first(self.con, f"(SELECT _row, count(*) OVER (PARTITION BY {key}) AS n, "
                    f"row_number() OVER (PARTITION BY {key} ORDER BY _row) AS k FROM {table})",
                    [(key, "k > 1", "duplicate of an earlier row")], label)

    def score_ranges(self, table: str, label: str) -> None:
        cases = " ".join(f"WHEN {_lit(k)} THEN score < {v.minimum} OR score > {v.maximum}"
                         for k, v in INSTRUMENTS.items())
        cond = f"CASE instrument {cases} END"
        if self.con.execute(f"SELECT count(*) FROM {table} WHERE {cond}").fetchall()[0][0]:
            numbered = (table if table in ORDERED else
                        f"(SELECT row_number() OVER () + 1 AS _row, * FROM {table})")
            _fail_first(self.con, numbered, [("score", cond,
                                              "outside the instrument's score range")], label)

    def lsoa(self) -> pd.DataFrame:
        return self.con.sql("SELECT * EXCLUDE (_row) FROM lsoa ORDER BY _row").df().astype({
            "imd_decile": "int64", "population_total": "int64", "population_0_15": "int64",
            "population_16_59": "int64", "population_60_plus": "int64"})

    def people(self, lsoa: pd.DataFrame) -> pd.DataFrame:
        """One row per referral, with the person's code and the LSOA's borough and decile.
        Only numbers cross from DuckDB to pandas; text becomes categorical codes."""
        con = self.con
        ethnicities = [e[0] for e in con.execute(
            "SELECT DISTINCT ethnicity FROM people WHERE ethnicity <> '' ORDER BY 1").fetchall()]
        # Codes in identifier order, so that every run numbers people the same way.
        con.execute("CREATE OR REPLACE TEMP TABLE person_code AS SELECT person_id, "
                    "CAST(row_number() OVER (ORDER BY person_id) - 1 AS BIGINT) AS pid "
                    "FROM (SELECT DISTINCT person_id FROM people)")
        con.register("ethnicity_codes", pd.DataFrame({
            "ethnicity": ethnicities, "code": np.arange(len(ethnicities), dtype=np.int64)}))
        lsoa_index = lsoa[["lsoa11cd"]].assign(lsoa_idx=np.arange(len(lsoa), dtype=np.int64))
        con.register("lsoa_index", lsoa_index)
        sexes = ", ".join(_lit(s) for s in SEXES)
        frame = con.execute(f"""
            SELECT c.pid, list_position([{sexes}], p.sex) - 1 AS sex,
                   CAST(p.age AS DOUBLE) AS age,
                   coalesce(e.code, -1) AS ethnicity, coalesce(l.lsoa_idx, -1) AS lsoa_idx,
                   p.referred_on, p.episode_completed
            FROM people p JOIN person_code c USING (person_id)
            LEFT JOIN ethnicity_codes e ON e.ethnicity = p.ethnicity
            LEFT JOIN lsoa_index l ON l.lsoa11cd = p.lsoa11cd""").df()
        return _person_frame(frame, lsoa, ethnicities)

    def measurements(self, label: str) -> pd.DataFrame:
        con = self.con
        bad = con.execute("SELECT count(*) FROM measurements m "
                          "ANTI JOIN person_code c USING (person_id)").fetchall()[0][0]
        if bad:
            _fail_first(con, "(SELECT m._row, c.pid FROM (SELECT row_number() OVER () + 1 AS "
                        "_row, person_id FROM measurements) m "
                        "LEFT JOIN person_code c USING (person_id))",
                        [("person_id", "pid IS NULL", "no such person in the people file")],
                        label)
        instruments = ", ".join(_lit(i) for i in INSTRUMENTS)
        frame = con.execute(f"""
            SELECT c.pid,
                   hash(m.person_id, m.episode_id) AS episode,
                   CAST(list_position([{instruments}], m.instrument) - 1 AS TINYINT)
                       AS instrument,
                   m.timepoint = 'follow_up' AS follow_up, m.measured_on, m.score
            FROM measurements m JOIN person_code c USING (person_id)""").df()
        frame["instrument"] = pd.Categorical.from_codes(frame["instrument"],
                                                        categories=list(INSTRUMENTS))
        frame["timepoint"] = pd.Categorical.from_codes(frame.pop("follow_up").astype("int8"),
                                                       categories=TIMEPOINTS)
        return frame

    def comparison(self) -> pd.DataFrame:
        frame = self.con.sql("""
            SELECT CAST(dense_rank() OVER (ORDER BY c.person_id) - 1 AS BIGINT) AS pid,
                   c.sex, CAST(c.age AS DOUBLE) AS age, CAST(l.imd_decile AS INTEGER)
                       AS imd_decile, l.lad_code, c.instrument, c.timepoint, c.score
            FROM comparison c LEFT JOIN lsoa l ON l.lsoa11cd = nullif(c.lsoa11cd, '')
            ORDER BY c._row""").df()
        frame["imd_decile"] = frame["imd_decile"].astype("Int64")
        return frame

    def table(self, name: str) -> pd.DataFrame:
        return self.con.sql(f"SELECT * EXCLUDE (_row) FROM {name} ORDER BY _row").df()


def _person_frame(frame: pd.DataFrame, lsoa: pd.DataFrame,
                  ethnicities: list[str]) -> pd.DataFrame:
    """Decode the integer columns into categoricals and attach the LSOA's area attributes."""
    idx = frame.pop("lsoa_idx").to_numpy()
    known = idx >= 0
    frame["sex"] = pd.Categorical.from_codes(frame["sex"].astype("int8"), categories=SEXES)
    age = frame["age"].to_numpy()
    band = np.where(np.isnan(age), -1, np.where(age < 16, 0, np.where(age < 60, 1, 2)))
    frame["age_band"] = pd.Categorical.from_codes(band.astype("int8"), categories=AGE_BANDS)
    frame["ethnicity"] = pd.Categorical.from_codes(frame["ethnicity"].astype("int32"),
                                                   categories=ethnicities)
    lsoa_codes = pd.Categorical(lsoa["lsoa11cd"])
    frame["lsoa11cd"] = pd.Categorical.from_codes(
        np.where(known, lsoa_codes.codes[np.where(known, idx, 0)], -1),
        categories=lsoa_codes.categories)
    for column in ("lad_code", "lad_name"):
        cat = pd.Categorical(lsoa[column])
        frame[column] = pd.Categorical.from_codes(
            np.where(known, cat.codes[np.where(known, idx, 0)], -1), categories=cat.categories)
    decile = np.where(known, lsoa["imd_decile"].to_numpy()[np.where(known, idx, 0)], 0)
    frame["imd_decile"] = pd.array(np.where(known, decile, 0), dtype="Int64")
    frame.loc[~known, "imd_decile"] = pd.NA
    frame["imd_quintile"] = (frame["imd_decile"] + 1) // 2
    frame["episode_completed"] = frame["episode_completed"].astype("boolean")
    return frame


def load(*, people, measurements, lsoa, comparison=None, funding=None, services=None,
         capacity=None, boroughs: dict | None = None) -> EvaluationInput:
    """Check and prepare inputs given as CSV paths or data frames (the two may be mixed)."""
    reader = _Reader()
    notes = []
    try:
        lsoa_label = reader.stage("lsoa", lsoa, LSOA)
        reader.unique("lsoa", "lsoa11cd", lsoa_label)
        lsoa_frame = reader.lsoa()
        reader.stage("people", people, PEOPLE)
        people_frame = reader.people(lsoa_frame)
        m_label = reader.stage("measurements", measurements, MEASUREMENTS)
        reader.score_ranges("measurements", m_label)
        measurement_frame = reader.measurements(m_label)
        unmatched = int(people_frame["imd_decile"].isna().sum())
        if unmatched:
            notes.append(f"{unmatched} referrals have no LSOA in the reference data (blank or "
                         "outside it): they count in totals but not in area rates.")
        result = EvaluationInput(people=people_frame, measurements=measurement_frame,
                                 lsoa=lsoa_frame, boroughs=boroughs, notes=notes)
        if comparison is not None:
            label = reader.stage("comparison", comparison, COMPARISON)
            reader.score_ranges("comparison", label)
            result.comparison = reader.comparison()
        if funding is not None:
            label = reader.stage("funding", funding, FUNDING)
            frame = reader.table("funding")
            frame["total_pence"] = frame["total_pence"].astype("int64")
            for column in ("low_pence", "high_pence"):
                frame[column] = frame[column].astype(float).fillna(
                    frame["total_pence"]).astype("int64")
            low_bad = (frame["low_pence"] > frame["total_pence"]).to_numpy()
            high_bad = (frame["high_pence"] < frame["total_pence"]).to_numpy()
            for column, bad, message in (("low_pence", low_bad, "above the total"),
                                         ("high_pence", high_bad, "below the total")):
                if bad.any():
                    row = int(np.flatnonzero(bad)[0]) + 2
                    raise InvalidInput(f"{label} row {row}, column '{column}': the estimate "
                                       f"is {message}")
            result.funding = frame
        if services is not None:
            reader.stage("services", services, SERVICES)
            frame = reader.table("services")
            frame["open"] = frame["status"].fillna("").str.lower().isin(OPEN_STATUSES)
            result.services = frame.drop(columns="status")
        if capacity is not None:
            label = reader.stage("capacity", capacity, CAPACITY)
            reader.unique("capacity", "lad_code", label)
            result.capacity = reader.table("capacity")
    finally:
        reader.con.close()
    return result


def load_lsoa(lsoa) -> pd.DataFrame:
    """The LSOA reference data alone, checked (a CSV path or a frame)."""
    reader = _Reader()
    try:
        label = reader.stage("lsoa", lsoa, LSOA)
        reader.unique("lsoa", "lsoa11cd", label)
        return reader.lsoa()
    finally:
        reader.con.close()


def read_boroughs_geojson(path: Path | str) -> dict | None:
    """Borough boundaries for the choropleth; the report goes without a map if absent."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise InvalidInput(f"{path.name}: not valid GeoJSON") from None
