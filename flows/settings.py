"""Every setting of `communique run` and `communique serve`, documented once.

A setting is read from, in order: its command-line flag (`--lock-wait 30`), its
environment variable (`COMMUNIQUE_LOCK_WAIT=30`), the `[run]` table of `communique.toml`
in the working directory (or the file `COMMUNIQUE_CONFIG` names: `lock_wait = 30`), and
last its default."""
from __future__ import annotations

import argparse
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: object
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "COMMUNIQUE_" + self.name.upper()


SETTINGS = [
    Setting("source", str, "seeds", "folder of articles"),
    Setting("warehouse", str, "warehouse/diplomacy.duckdb", "the DuckDB file"),
    Setting("manifest", str, None, "CSV of file,published_date[,title,url] (default: manifest.csv in the source folder)"),
    Setting("lock_wait", float, 60.0, "seconds to wait, with backoff, for readers or another run to release the "
                                      "warehouse before publishing"),
    Setting("max_file_bytes", int, 50 * 1024 * 1024, "files larger than this are rejected, and no more is read of any file"),
    Setting("seconds_per_mb", float, 10.0, "CPU-time budget of a document's extraction: 2 s plus this many CPU seconds "
                                          "per MB of its text; a document over it is rejected (0: no limit)"),
    Setting("workers", int, None, "extraction processes (default: one per core when there is enough new text)"),
    Setting("runner", str, "local", "where extraction runs: local (worker processes of this machine) or dask "
                                    "(a Dask cluster)"),
    Setting("dask_address", str, None, "scheduler of the Dask cluster, e.g. tcp://10.0.0.5:8786 (default: a local "
                                       "cluster started for the run)"),
    Setting("allow_empty", bool, False, "let a source folder with no files mark every known document missing"),
    Setting("full_refresh", bool, False, "read and extract every file again, changed or not"),
    Setting("quiet", bool, False, "no progress lines on the console (Prefect's logs keep them)"),
]
BY_NAME = {s.name: s for s in SETTINGS}


class ConfigError(ValueError):
    pass


def add_arguments(parser: argparse.ArgumentParser, names: list[str] | None = None) -> None:
    """Flags for the settings (all by default); each defaults to None so that an absent
    flag can be told from one given."""
    for s in SETTINGS:
        if names is not None and s.name not in names:
            continue
        default = f" (default: {s.default})" if s.default not in (None, False) else ""
        if s.kind is bool:
            parser.add_argument(s.flag, action="store_true", default=None, help=s.help + default)
        else:
            parser.add_argument(s.flag, type=s.kind, default=None, help=s.help + default)


def _parse(s: Setting, value, where: str):
    if s.kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{where}: {s.name} must be true or false, not {value!r}")
    try:
        return s.kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {s.name} must be a {s.kind.__name__}, not {value!r}") from None


def config_file() -> Path | None:
    path = os.environ.get("COMMUNIQUE_CONFIG")
    if path:
        if not Path(path).is_file():
            raise ConfigError(f"COMMUNIQUE_CONFIG names no file: {path}")
        return Path(path)
    here = Path("communique.toml")
    return here if here.is_file() else None


def resolve(args: argparse.Namespace | None = None, environ=None) -> dict:
    """Every setting's value: flag, else environment, else communique.toml, else default."""
    environ = os.environ if environ is None else environ
    table = {}
    path = config_file()
    if path is not None:
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        table = doc.get("run", doc)
        unknown = sorted(k for k in table if k not in BY_NAME)
        if unknown:
            raise ConfigError(f"{path}: unknown settings {', '.join(unknown)} "
                              f"(known: {', '.join(BY_NAME)})")
    out = {}
    for s in SETTINGS:
        flag = getattr(args, s.name, None) if args is not None else None
        if flag is not None:
            out[s.name] = flag
        elif s.env in environ:
            out[s.name] = _parse(s, environ[s.env], s.env)
        elif s.name in table:
            out[s.name] = _parse(s, table[s.name], str(path))
        else:
            out[s.name] = s.default
    return out
