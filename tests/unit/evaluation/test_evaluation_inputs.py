import pandas as pd
import pytest
from evaluation_lsoa import make_lsoa

from linkwell.errors import InvalidInput
from linkwell.evaluation.inputs import load, load_lsoa

PEOPLE = """person_id,sex,age,ethnicity,lsoa11cd,referred_on,episode_completed
a1,female,34,White,E01000000,2024-05-01,true
a2,male,71,,E01000001,2024-06-11,
a3,,,Black or Black British,,2024-07-02,false
"""
MEASUREMENTS = """person_id,episode_id,instrument,timepoint,measured_on,score
a1,e1,wemwbs,baseline,2024-05-02,40
a1,e1,wemwbs,follow_up,2024-08-02,45
a2,e2,ucla3,baseline,2024-06-12,7
"""

@pytest.fixture
def lsoa_csv_frame():
    return make_lsoa()


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _load(tmp_path, lsoa_csv_frame, people=PEOPLE, measurements=MEASUREMENTS):
    lsoa = tmp_path / "lsoa.csv"
    lsoa_csv_frame.to_csv(lsoa, index=False)
    return load(people=_write(tmp_path, "people.csv", people),
                measurements=_write(tmp_path, "measurements.csv", measurements), lsoa=lsoa)


def test_load_files_types_and_area(tmp_path, lsoa_csv_frame):
    frames = _load(tmp_path, lsoa_csv_frame)

    people = frames.people.sort_values("referred_on").reset_index(drop=True)
    assert list(people["sex"].astype(str)) == ["female", "male", "unknown"]
    assert people.loc[0, "imd_decile"] == 1 and people.loc[1, "imd_decile"] == 2
    assert people.loc[0, "lad_name"] == "Barking and Dagenham"
    assert pd.isna(people.loc[2, "imd_decile"]) and pd.isna(people.loc[2, "age"])
    assert people["age_band"].tolist()[:2] == ["16-59", "60+"]
    assert pd.isna(people["age_band"].tolist()[2])
    assert people["episode_completed"].tolist()[0] is True
    assert len(frames.measurements) == 3
    assert set(frames.measurements["instrument"].astype(str)) == {"wemwbs", "ucla3"}
    assert frames.notes  # one referral without an LSOA is reported, not dropped silently


@pytest.mark.parametrize(("people", "measurements", "expected"), [
    (PEOPLE.replace("a1,female,34", "a1,female,3x"), MEASUREMENTS,
     "people.csv row 2, column 'age'"),
    (PEOPLE.replace(",2024-06-11,", ",11/06/2024,"), MEASUREMENTS,
     "people.csv row 3, column 'referred_on'"),
    (PEOPLE.replace("male,71", "man,71"), MEASUREMENTS, "people.csv row 3, column 'sex'"),
    (PEOPLE.replace("E01000001", "X123"), MEASUREMENTS, "people.csv row 3, column 'lsoa11cd'"),
    (PEOPLE.replace("person_id,", "pid,"), MEASUREMENTS, "people.csv row 1: missing column"),
    (PEOPLE, MEASUREMENTS.replace("ucla3,baseline,2024-06-12,7", "ucla3,baseline,2024-06-12,12"),
     "measurements.csv row 4, column 'score'"),
    (PEOPLE, MEASUREMENTS.replace("wemwbs,follow_up", "wemwbs,after"),
     "measurements.csv row 3, column 'timepoint'"),
    (PEOPLE, MEASUREMENTS.replace("a2,e2", "zz,e2"),
     "measurements.csv row 4, column 'person_id'"),
    (PEOPLE, MEASUREMENTS.replace("ucla3,", "phq9,"),
     "measurements.csv row 4, column 'instrument'"),
])
def test_load_bad_file_names_file_row_and_column(tmp_path, lsoa_csv_frame, people,
                                                 measurements, expected):
    with pytest.raises(InvalidInput) as caught:
        _load(tmp_path, lsoa_csv_frame, people, measurements)

    assert expected in caught.value.detail
    assert "3x" not in caught.value.detail  # values are never echoed


def test_load_missing_file_names_it(tmp_path, lsoa_csv_frame):
    with pytest.raises(InvalidInput, match="people.csv: file not found"):
        load(people=tmp_path / "people.csv", measurements=tmp_path / "m.csv",
             lsoa=lsoa_csv_frame)


def test_load_ragged_csv_is_invalid_input(tmp_path, lsoa_csv_frame):
    with pytest.raises(InvalidInput, match="people.csv"):
        _load(tmp_path, lsoa_csv_frame, people=PEOPLE + "a4,female,30,White\n")


def test_load_funding_estimate_bounds_checked(tmp_path, lsoa_csv_frame):
    funding = _write(tmp_path, "funding.csv", "label,total_pence,low_pence,high_pence\n"
                     "grants,1000,1200,1500\n")
    with pytest.raises(InvalidInput, match="funding.csv row 2, column 'low_pence'"):
        load(people=_write(tmp_path, "people.csv", PEOPLE),
             measurements=_write(tmp_path, "measurements.csv", MEASUREMENTS),
             lsoa=lsoa_csv_frame, funding=funding)


def test_load_lsoa_duplicate_code_rejected(lsoa_csv_frame):
    frame = pd.concat([lsoa_csv_frame, lsoa_csv_frame.iloc[[3]]], ignore_index=True)
    with pytest.raises(InvalidInput, match="column 'lsoa11cd': duplicate"):
        load_lsoa(frame)
