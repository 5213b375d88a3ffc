"""The gazetteer build script's alias and ambiguity rules, on small CBS-shaped CSVs."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from nlp.places import Gazetteer, read_gazetteer
from scripts import build_gazetteer

NATIONAL = """level,cbs_code,name,label_lat,label_lon
gemeente,GM0505,Dordrecht,51.80025,4.7532
gemeente,GM0642,Zwijndrecht,51.81841,4.61275
gemeente,GM0590,Papendrecht,51.83224,4.70626
gemeente,GM1900,S£dwest Fryslƒn,53.02039,5.545
gemeente,GM0373,Bergen (NH.),52.67476,4.68011
gemeente,GM0893,Bergen (L.),51.5758,6.09532
wijk,WK050501,Wijk 01 Binnenstad,51.81313,4.66373
"""

LOCAL = """level,cbs_code,name,label_lat,label_lon
gemeente,GM0505,Dordrecht,51.80025,4.7532
wijk,WK050510,Wijk 10 Dubbeldam,51.79135,4.70522
wijk,WK050508,Wijk 08 Crabbehof/Zuidhoven,51.79189,4.6664
wijk,WK050598,Wijk 98 Verspreide bebouwing,51.75269,4.68847
wijk,WK059001,Wijk 01 Papendrecht,51.83,4.70
wijk,WK064202,Wijk 02 Centrum,51.81585,4.64775
wijk,WK050501,Wijk 01 Centrum,51.81313,4.66373
buurt,BU05050802,Zuidhoven,51.79506,4.67171
buurt,BU05051902,Voltastraat en omgeving - De Put,51.80433,4.6486
buurt,BU05051103,Iroko en omgeving,51.81142,4.70945
"""


def load_script() -> ModuleType:
    return build_gazetteer


def build(tmp_path: Path) -> dict[tuple[str, str], dict[str, str]]:
    script = load_script()
    (tmp_path / "nl_gemeenten2015_wijken2014_buurten2014.csv").write_text(NATIONAL, "utf-8")
    (tmp_path / "drechtsteden_wijken_buurten.csv").write_text(LOCAL, "utf-8")
    rows = script.build(tmp_path)
    return {(r["alias"], r["cbs_code"]): r for r in rows}


def test_aliases(tmp_path: Path) -> None:
    rows = build(tmp_path)
    aliases = {alias for alias, _ in rows}
    assert {"Dubbeldam", "Crabbehof", "Voltastraat", "De Put", "Iroko"} <= aliases
    assert ("Zuidhoven", "BU05050802") in rows  # the buurt, more precise than the wijk
    assert ("Zuidhoven", "WK050508") not in rows
    assert not any("bebouwing" in alias.lower() for alias in aliases)
    assert ("Súdwest Fryslân", "GM1900") in rows  # code-page damage repaired


def test_gemeente_wins_over_same_named_wijk(tmp_path: Path) -> None:
    rows = build(tmp_path)
    assert ("Papendrecht", "GM0590") in rows
    assert ("Papendrecht", "WK059001") not in rows


def test_ambiguity_flags(tmp_path: Path) -> None:
    rows = build(tmp_path)
    assert rows[("Centrum", "WK064202")]["ambiguous"] == "1"  # common word, two gemeenten
    assert rows[("Bergen", "GM0373")]["ambiguous"] == "1"  # two gemeenten share it
    assert rows[("Dubbeldam", "WK050510")]["ambiguous"] == "0"
    assert rows[("Dubbeldam", "WK050510")]["gemeente_code"] == "GM0505"


def test_written_file_reads_back_with_credit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = load_script()
    (tmp_path / "nl_gemeenten2015_wijken2014_buurten2014.csv").write_text(NATIONAL, "utf-8")
    (tmp_path / "drechtsteden_wijken_buurten.csv").write_text(LOCAL, "utf-8")
    out = tmp_path / "gaz.csv"
    monkeypatch.setattr(
        sys, "argv", ["build_gazetteer.py", "--places", str(tmp_path), "--out", str(out)]
    )
    script.main()
    assert "CBS" in out.read_text("utf-8").splitlines()[2]
    gazetteer = Gazetteer(read_gazetteer(out))
    found = {p.name for p in gazetteer.find("Het Centrum van Dordrecht en Dubbeldam")}
    assert found == {"Dordrecht", "Dubbeldam", "Centrum"}
