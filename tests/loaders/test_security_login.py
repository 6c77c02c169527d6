"""Issue 14, login and roles: one normalised name, a backoff per name and client, roles on every write path."""

from __future__ import annotations

import getpass

import duckdb
import pytest

from loaders import auth
from loaders.__main__ import main
from loaders.auth import AuthError, LoginLocked, LoginThrottle
from tests.loaders.test_uploads import first_file


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    monkeypatch.setenv(auth.USERS_ENV, str(path))
    auth.add_user("thu.ky", "mat-khau-dung", rounds=4, role=auth.ROLE_SECRETARIAT)
    auth.add_user("xem", "mat-khau-xem", rounds=4, role=auth.ROLE_VIEWER)
    auth.add_user("so.tc", "mat-khau-coquan", rounds=4, role=auth.ROLE_AGENCY, agency="so_tc")
    auth.add_user("admin", "mat-khau-admin", rounds=4, role=auth.ROLE_ADMIN)
    return path


@pytest.mark.parametrize("variant", ["thu.ky\x01", " THU.KY ", "thu\u200b.ky", "thu.ky\u202e", "Thu.Ky\t"])
def test_every_spelling_of_a_name_shares_one_backoff(users, variant):
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(AuthError):
            auth.authenticate("thu.ky", "sai", throttle=throttle)
    with pytest.raises(LoginLocked):
        auth.authenticate("thu.ky", "sai", throttle=throttle)
    with pytest.raises(LoginLocked):  # before the fix, each spelling had its own five guesses
        auth.authenticate(variant, "mat-khau-dung", throttle=throttle)
    clock.now += auth.MAX_NAME_DELAY
    assert auth.authenticate(variant, "mat-khau-dung", throttle=throttle).name == "thu.ky"


def test_an_outsider_cannot_lock_a_user_out_and_every_failure_is_logged(users):
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(50):  # an outsider hammers the name from their own client
        clock.now += throttle.seconds_left("thu.ky", "10.0.0.66")
        with pytest.raises(AuthError):
            auth.authenticate("thu.ky", "doan-bua", throttle=throttle, client="10.0.0.66")
    # the outsider's client now waits long; the real user, from another client, waits at most a minute
    assert throttle.seconds_left("thu.ky", "10.0.0.66") > auth.MAX_NAME_DELAY
    assert throttle.seconds_left("thu.ky", "10.0.0.5") <= auth.MAX_NAME_DELAY
    clock.now += auth.MAX_NAME_DELAY
    assert auth.authenticate("thu.ky", "mat-khau-dung", throttle=throttle, client="10.0.0.5").name == "thu.ky"
    logged = auth.read_failures()
    assert len(logged) == 50
    assert {e["name"] for e in logged} == {"thu.ky"} and {e["client"] for e in logged} == {"10.0.0.66"}


def test_one_client_guessing_many_names_is_slowed_on_all_of_them(users):
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for name in ("a1", "a2", "a3", "a4"):
        with pytest.raises(AuthError):
            auth.authenticate(name, "x", throttle=throttle, client="10.0.0.66")
    with pytest.raises(LoginLocked):
        auth.authenticate("thu.ky", "mat-khau-dung", throttle=throttle, client="10.0.0.66")


def test_roles_allow_what_each_needs_and_nothing_more(users):
    who = {n: auth.account(n) for n in ("thu.ky", "xem", "so.tc", "admin")}
    assert who["so.tc"].agency == "so_tc" and who["so.tc"].role == auth.ROLE_AGENCY
    assert [n for n, u in who.items() if u.can(auth.ACTION_UPLOAD)] == ["thu.ky", "admin"]
    assert [n for n, u in who.items() if u.can(auth.ACTION_USERS)] == ["admin"]
    with pytest.raises(auth.Forbidden, match="không được tải số liệu lên"):
        auth.require(who["xem"], auth.ACTION_UPLOAD)
    legacy = auth.User("cu", "Cũ", "secretariat")  # accounts written before the roles existed
    assert legacy.can(auth.ACTION_UPLOAD) and not legacy.can(auth.ACTION_USERS)
    assert not auth.User("la", "Lạ", "viewer ").can(auth.ACTION_UPLOAD)
    with pytest.raises(AuthError, match="co_quan cần mã cơ quan"):
        auth.add_user("coquan2", "mat-khau-dai", rounds=4, role=auth.ROLE_AGENCY)


def test_the_cli_checks_the_role_of_by_and_records_the_os_user(users, db_file, blank, tmp_path, capsys):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    for by in ("xem", "so.tc", "ai-do"):
        assert main(["import-actuals", str(good), "--by", by, "--db", str(db_file), "--yes"]) == 1
        assert "Traceback" not in capsys.readouterr().err
    assert main(["revert-upload", "1", "--by", "xem", "--db", str(db_file), "--yes"]) == 1
    assert "không được hoàn tác" in capsys.readouterr().err
    con = duckdb.connect(str(db_file))
    assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0
    con.close()
    assert main(["import-actuals", str(good), "--by", "THU.KY", "--db", str(db_file), "--yes"]) == 0
    con = duckdb.connect(str(db_file))
    try:
        by = con.execute("SELECT uploaded_by FROM uploads").fetchall()
        audit = con.execute("SELECT via, os_user, account FROM upload_audit").fetchall()
    finally:
        con.close()
    assert by == [("thu.ky",)]
    assert audit == [("cli", getpass.getuser(), "thu.ky")]


def test_once_an_admin_exists_only_an_admin_adds_accounts(users, monkeypatch, capsys):
    monkeypatch.setenv(auth.PASSWORD_ENV, "mat-khau-moi1")
    assert main(["add-user", "moi", "--by", "thu.ky"]) == 1
    assert "không được quản lý tài khoản" in capsys.readouterr().err
    assert main(["add-user", "moi"]) == 1
    assert auth.account("moi") is None
    assert main(["add-user", "moi", "--role", "xem", "--by", "admin"]) == 0
    assert auth.account("moi").role == auth.ROLE_VIEWER


def test_sso_needs_a_verified_email_and_maps_claims_to_roles_in_configuration(users):
    with users.open("a", encoding="utf-8") as fh:
        fh.write('\n[[sso.roles]]\nclaim = "groups"\nvalue = "vpbcd"\nrole = "van_phong"\n')
    auth.add_user("lan", "mat-khau-lan", email="lan@laichau.gov.vn", rounds=4)  # keeps the rules
    assert auth.sso_rules() == [{"claim": "groups", "value": "vpbcd", "role": "van_phong"}]
    claims = {"email": "lan@laichau.gov.vn", "email_verified": False}
    assert auth.sso_user(claims) is None
    assert auth.sso_user({"email": "lan@laichau.gov.vn"}) is None  # no claim at all: not verified
    assert auth.sso_user({**claims, "email_verified": True}).name == "lan"
    member = {"email": "hoa@laichau.gov.vn", "email_verified": True, "groups": ["VPBCD", "khac"]}
    user = auth.sso_user(member)
    assert user.role == auth.ROLE_SECRETARIAT and user.can(auth.ACTION_UPLOAD)
    assert auth.sso_user({**member, "groups": ["khac"]}) is None
